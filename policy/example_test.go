package policy_test

import (
	"fmt"

	"github.com/iamq/iamq/policy"
)

// Parse a document, validate it as an identity policy, and print its
// canonical form.
func Example() {
	doc, err := policy.Parse(`{
  "Version": "2012-10-17",
  "Statement": {
    "Effect": "Allow",
    "Principal": "*",
    "Action": ["mq:DescribeBroker", "ListBrokers"],
    "Resource": "*",
    "Condition": {"Bool": {"aws:SecureTransport": "true"}}
  }
}`)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range doc.Validate(policy.KindIdentity) {
		fmt.Printf("%d:%d: %s: %s\n", f.Pos.Line, f.Pos.Column, f.Path, f.Message)
	}
	fmt.Println(policy.Print(doc))
	// Output:
	// 5:5: Statement[0].Principal: Policy document should not specify a principal.
	// 6:37: Statement[0].Action[1]: Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.
	// {
	//     "Version": "2012-10-17",
	//     "Statement": [
	//         {
	//             "Effect": "Allow",
	//             "Principal": "*",
	//             "Action": [
	//                 "mq:DescribeBroker",
	//                 "ListBrokers"
	//             ],
	//             "Resource": [
	//                 "*"
	//             ],
	//             "Condition": {
	//                 "Bool": {
	//                     "aws:SecureTransport": [
	//                         "true"
	//                     ]
	//                 }
	//             }
	//         }
	//     ]
	// }
}

// ExampleJudge shows the answer IAM gives CreatePolicy for a document with
// two problems: of the unknown partition and the action without a vendor,
// IAM names the partition, whose check comes first.
func ExampleJudge() {
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ListBrokers","Resource":"arn:aws-cn:mq:*:*:broker:*"}]}`
	if f, refused := policy.Judge(doc, policy.KindIdentity, policy.StorageManaged); refused {
		fmt.Println("MalformedPolicyDocument:", f.Message)
	}
	// Output:
	// MalformedPolicyDocument: Partition "aws-cn" is not valid for resource "arn:aws-cn:mq:*:*:broker:*".
}
