package arn_test

import (
	"fmt"

	"github.com/iamq/iamq/arn"
)

func Example() {
	// Build the ARN of an IAM user, and read one back.
	u := arn.User("123456789012", "/division_abc/", "Bob")
	fmt.Println(u)

	a, err := arn.Parse("arn:aws:sts::123456789012:assumed-role/Accounting-Role/JaneDoe")
	if err != nil {
		fmt.Println(err)
		return
	}
	r, _ := a.IAM()
	role, session, _ := r.RoleSession()
	fmt.Println(a.Account, r.Type, role, session)

	// Match segment-wise, as the ArnLike condition operator does.
	fmt.Println(arn.Match("arn:aws:iam::*:user/*", u.String()))
	fmt.Println(arn.Match("arn:aws:*:user/*", u.String()))

	_, err = arn.Parse("arn:aws:iam")
	fmt.Println(err)
	// Output:
	// arn:aws:iam::123456789012:user/division_abc/Bob
	// 123456789012 assumed-role Accounting-Role JaneDoe
	// true
	// false
	// arn: "arn:aws:iam" does not have the six segments of an ARN (arn:partition:service:region:account-id:resource)
}
