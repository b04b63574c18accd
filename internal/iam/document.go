package iam

import (
	"fmt"

	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/policy"
)

// QuotaPolicySize names the managed policy size quota in IAM's LimitExceeded
// message "Cannot exceed quota for PolicySize: 6144" (verified:
// ministryofjustice/cloud-platform-environments#14473).
const QuotaPolicySize store.Quota = "PolicySize"

// CheckDocument parses text and validates it as a document of kind, stored
// inline (any Version). A document IAM would refuse is MalformedPolicyDocument
// with the message IAM gives (package policy holds the messages, their
// sources and IAM's order of checks); warnings do not refuse it. Sizes are
// not checked here: they depend on where the document is stored.
func CheckDocument(text string, kind policy.Kind) error {
	return checkDocument(text, kind, policy.StorageInline)
}

func checkDocument(text string, kind policy.Kind, s policy.Storage) error {
	if f, refused := policy.Judge(text, kind, s); refused {
		return refuse(ErrMalformedPolicy, "%s", f.Message)
	}
	return nil
}

// managedDocument checks the document of a new customer managed policy or
// policy version, once checkDocumentParam has passed: IAM's grammar for
// identity policies (Version 2012-10-17 required), then the 6,144-character quota (white space not
// counted). AWS managed policies never pass through here: they are exempt.
func managedDocument(text string) error {
	if err := checkDocument(text, policy.KindIdentity, policy.StorageManaged); err != nil {
		return err
	}
	if policy.Size(text) > policy.MaxManaged {
		return &store.LimitError{Quota: QuotaPolicySize, Limit: policy.MaxManaged,
			Message: fmt.Sprintf("Cannot exceed quota for %s: %d", QuotaPolicySize, policy.MaxManaged)}
	}
	return nil
}

// inlineDocument checks the document of an inline policy, once
// checkDocumentParam has passed, and returns its size as it counts toward
// the entity's aggregate quota, which the store enforces (it knows the
// entity's other inline policies).
func inlineDocument(text string) (int, error) {
	if err := CheckDocument(text, policy.KindIdentity); err != nil {
		return 0, err
	}
	return policy.Size(text), nil
}
