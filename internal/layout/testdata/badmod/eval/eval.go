// Package eval is a fixture.
package eval

// Yes is a fixture.
const Yes = true
