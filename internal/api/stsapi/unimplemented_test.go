package stsapi

import (
	"context"
	"reflect"
	"slices"
	"testing"

	awssts "github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestModelOperations: the operations iamq serves and those it registers as
// not implemented are, together, exactly STS's model as the SDK has it.
func TestModelOperations(t *testing.T) {
	ctxType := reflect.TypeOf((*context.Context)(nil)).Elem()
	ty := reflect.TypeOf(&awssts.Client{})
	var want []string
	for i := 0; i < ty.NumMethod(); i++ {
		m := ty.Method(i)
		if m.Type.NumIn() >= 3 && m.Type.In(1) == ctxType && m.Type.In(2).Elem().Name() == m.Name+"Input" {
			want = append(want, m.Name)
		}
	}
	got := []string{"AssumeRole", "GetCallerIdentity", "GetSessionToken", // stsapi.go
		"AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "DecodeAuthorizationMessage", "GetAccessKeyInfo", "GetFederationToken"} // federation.go
	for _, u := range unimplemented {
		got = append(got, u.name)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("served and unimplemented STS operations = %v\nwant the SDK's %v", got, want)
	}
}
