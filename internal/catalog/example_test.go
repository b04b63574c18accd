package catalog_test

import (
	"fmt"

	"github.com/iamq/iamq/internal/catalog"
	"github.com/iamq/iamq/policy"
)

func ExampleCatalog_Expand() {
	c := catalog.Embedded()
	for _, a := range c.Expand("MQ:*user*") {
		fmt.Println(a, a.AccessLevel())
	}
	// Output:
	// mq:CreateUser Write
	// mq:DeleteUser Write
	// mq:DescribeUser Read
	// mq:ListUsers List
	// mq:UpdateUser Write
}

func ExampleService_ResourceTypeOf() {
	mq, _ := catalog.Embedded().Service("mq")
	t, _ := mq.ResourceTypeOf("arn:aws:mq:us-east-1:111122223333:configuration:c-1234")
	fmt.Println(t.Name)
	// Output: configurations
}

func ExampleCatalog_Lint() {
	doc, err := policy.Parse(`{"Version": "2012-10-17", "Statement": [
	  {"Effect": "Allow", "Action": ["mq:DescribeBrokers"], "Resource": "*"}]}`)
	if err != nil {
		panic(err)
	}
	for _, f := range catalog.Embedded().Lint(doc) {
		fmt.Println(f.Severity, f.Code, f.Path)
	}
	// Output: ERROR INVALID_ACTION Statement[0].Action[0]
}
