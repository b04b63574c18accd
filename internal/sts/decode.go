package sts

import (
	"errors"
	"fmt"
)

// ErrInvalidAuthorizationMessage is DecodeAuthorizationMessage's refusal
// (the STS model's InvalidAuthorizationMessageException).
var ErrInvalidAuthorizationMessage = errors.New("sts: invalid authorization message")

// MaxEncodedMessage bounds EncodedMessage (the model's
// encodedMessageType: 1 to 10,240 characters).
const MaxEncodedMessage = 10240

// DecodeAuthorizationMessage decodes an encoded authorization failure
// message (STS API Reference, DecodeAuthorizationMessage). AWS returns such
// messages from some services' AccessDenied answers (EC2's
// UnauthorizedOperation); iamq's AccessDenied answers carry their
// explanation in clear text and no encoded message, so no message is one
// iamq can decode: every well-formed call is InvalidAuthorizationMessage,
// after sts:DecodeAuthorizationMessage was authorized as in AWS.
func (s *Service) DecodeAuthorizationMessage(encoded string) (string, error) {
	if len(encoded) < 1 || len(encoded) > MaxEncodedMessage {
		return "", invalid("***", "encodedMessage", fmt.Sprintf("Member must have length between 1 and %d", MaxEncodedMessage))
	}
	return "", fmt.Errorf("%w: The message is not one iamq encoded: iamq's AccessDenied answers explain themselves in clear text and carry no encoded message.", ErrInvalidAuthorizationMessage)
}
