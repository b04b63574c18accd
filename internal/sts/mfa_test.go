package sts

import (
	"errors"
	"strings"
	"testing"
)

func TestMFAValidate(t *testing.T) {
	const serial = "arn:aws:iam::111122223333:mfa/ann"
	tests := []struct {
		name string
		in   MFA
		want error
	}{
		{"both", MFA{SerialNumber: serial, TokenCode: "123456"}, nil},
		{"serial only (refused later)", MFA{SerialNumber: serial}, nil},
		{"hardware serial", MFA{SerialNumber: "GAHT12345678", TokenCode: "000000"}, nil},
		{"serial short", MFA{SerialNumber: "arn:mfa", TokenCode: "123456"}, ErrValidation},
		{"serial long", MFA{SerialNumber: strings.Repeat("a", 257), TokenCode: "123456"}, ErrValidation},
		{"serial space", MFA{SerialNumber: "arn:aws:iam::1:mfa/a b", TokenCode: "123456"}, ErrValidation},
		{"code short", MFA{SerialNumber: serial, TokenCode: "12345"}, ErrValidation},
		{"code long", MFA{SerialNumber: serial, TokenCode: "1234567"}, ErrValidation},
		{"code letters", MFA{SerialNumber: serial, TokenCode: "12345a"}, ErrValidation},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.in.validate(); !errors.Is(err, tc.want) && err != tc.want {
				t.Errorf("validate(%+v) = %v, want %v", tc.in, err, tc.want)
			}
		})
	}
}
