// Package policy is a fixture that imports upward, against DESIGN.md.
package policy

import "github.com/iamq/iamq/eval"

// Bad is a fixture.
var Bad = eval.Yes
