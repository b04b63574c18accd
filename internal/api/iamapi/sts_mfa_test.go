package iamapi

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"
)

// mfaUser creates a user with an access key and an enabled virtual MFA
// device, and returns its IAM client, the device's serial and seed.
func (f *enFixture) mfaUser(name string) (*awsiam.Client, string, []byte) {
	f.t.Helper()
	c, _ := f.user(name)
	d := must(f.c.CreateVirtualMFADevice(f.ctx, &awsiam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(name)})).VirtualMFADevice
	now := f.now.Now()
	must(f.c.EnableMFADevice(f.ctx, &awsiam.EnableMFADeviceInput{UserName: aws.String(name), SerialNumber: d.SerialNumber,
		AuthenticationCode1: aws.String(totpCode(f.t, d.Base32StringSeed, now.Add(-60*time.Second))),
		AuthenticationCode2: aws.String(totpCode(f.t, d.Base32StringSeed, now.Add(-30*time.Second)))}))
	return c, aws.ToString(d.SerialNumber), d.Base32StringSeed
}

// TestAssumeRoleWithMFA is the scenario of a role assumable only with MFA:
// its trust policy asks for aws:MultiFactorAuthPresent, and the TOTP code
// the test computes, as a phone would, is checked once.
func TestAssumeRoleWithMFA(t *testing.T) {
	f := newEnforceFixture(t)
	ann, serial, seed := f.mfaUser("ann")
	f.role("admin", trustOf("arn:aws:iam::"+idAccount+":root", `{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`),
		allow("iam:ListUsers", `{"Bool":{"aws:MultiFactorAuthPresent":"true"},"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}`), 7200)
	f.putUserPolicy("ann", "assume", allow("sts:AssumeRole", ""))
	st := f.stsFor(ann)
	in := func(code string) *awssts.AssumeRoleInput {
		in := &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("admin")), RoleSessionName: aws.String("ann-mfa")}
		if code != "" {
			in.SerialNumber, in.TokenCode = aws.String(serial), aws.String(code)
		}
		return in
	}
	_, err := st.AssumeRole(f.ctx, in(""))
	wantDenied(t, "AssumeRole(no MFA)", err, "")
	code := totpCode(t, seed, f.now.Now())
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	_, err = st.AssumeRole(f.ctx, in(wrong))
	wantDenied(t, "AssumeRole(wrong code)", err, "MultiFactorAuthentication failed with invalid MFA one time pass code. ")
	bad := in(code)
	bad.SerialNumber = aws.String("arn:aws:iam::" + idAccount + ":mfa/nobody")
	_, err = st.AssumeRole(f.ctx, bad)
	wantDenied(t, "AssumeRole(not ann's device)", err,
		"MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.")
	ok := in(code)
	ok.DurationSeconds = aws.Int32(7200)
	out := must(st.AssumeRole(f.ctx, ok))
	_, err = st.AssumeRole(f.ctx, in(code))
	wantDenied(t, "AssumeRole(the same code again)", err, "MultiFactorAuthentication failed with invalid MFA one time pass code. ")
	role, _ := f.session(out.Credentials)
	must(role.ListUsers(f.ctx, &awsiam.ListUsersInput{}))
	// aws:MultiFactorAuthAge grows: after an hour the role's policy no
	// longer allows.
	f.now.Add(61 * time.Minute)
	_, err = role.ListUsers(f.ctx, &awsiam.ListUsersInput{})
	wantDenied(t, "ListUsers an hour after MFA", err, "")
}

// TestGetSessionTokenWithMFA: a GetSessionToken session made with MFA may
// call IAM (and its policies see MFA); one without may not.
func TestGetSessionTokenWithMFA(t *testing.T) {
	f := newEnforceFixture(t)
	ann, serial, seed := f.mfaUser("ann")
	f.putUserPolicy("ann", "p", allow("iam:ListUsers", `{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`))
	st := f.stsFor(ann)
	plain := must(st.GetSessionToken(f.ctx, &awssts.GetSessionTokenInput{})).Credentials
	plainIAM, _ := f.session(plain)
	_, err := plainIAM.ListUsers(f.ctx, &awsiam.ListUsersInput{})
	wantAPIError(t, "ListUsers(session without MFA)", err, "InvalidClientTokenId", "")
	_, err = st.GetSessionToken(f.ctx, &awssts.GetSessionTokenInput{SerialNumber: aws.String(serial), TokenCode: aws.String("12345")})
	wantAPIError(t, "GetSessionToken(5 digits)", err, "ValidationError", "")
	_, err = st.GetSessionToken(f.ctx, &awssts.GetSessionTokenInput{SerialNumber: aws.String(serial)})
	wantDenied(t, "GetSessionToken(no code)", err, "")
	cr := must(st.GetSessionToken(f.ctx, &awssts.GetSessionTokenInput{SerialNumber: aws.String(serial),
		TokenCode: aws.String(totpCode(t, seed, f.now.Now()))})).Credentials
	mfaIAM, mfaSTS := f.session(cr)
	must(mfaIAM.ListUsers(f.ctx, &awsiam.ListUsersInput{}))
	who := must(mfaSTS.GetCallerIdentity(f.ctx, &awssts.GetCallerIdentityInput{}))
	if aws.ToString(who.Arn) != userARN("ann") {
		t.Errorf("GetCallerIdentity(MFA session) = %s", aws.ToString(who.Arn))
	}
	// The long-term key has no MFA: the same policy denies it.
	_, err = ann.ListUsers(f.ctx, &awsiam.ListUsersInput{})
	wantDenied(t, "ListUsers(long-term key)", err, "")

	// aws-vault's pattern: the MFA session assumes a role whose trust asks
	// for MFA, with no code of its own, and the role session keeps MFA.
	f.role("admin", trustOf("arn:aws:iam::"+idAccount+":root", `{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`),
		allow("iam:ListUsers", `{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`), 0)
	f.putUserPolicy("ann", "assume", allow("sts:AssumeRole", ""))
	_, err = st.AssumeRole(f.ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("admin")), RoleSessionName: aws.String("plain")})
	wantDenied(t, "AssumeRole(long-term key, no MFA)", err, "")
	out := must(mfaSTS.AssumeRole(f.ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("admin")), RoleSessionName: aws.String("vault")}))
	role, _ := f.session(out.Credentials)
	must(role.ListUsers(f.ctx, &awsiam.ListUsersInput{}))
}

// TestRootMFA: the root enables a device for itself (no UserName), the
// account summary says AccountMFAEnabled, and the root's GetSessionToken
// with it may call IAM.
func TestRootMFA(t *testing.T) {
	f := newEnforceFixture(t)
	d := must(f.c.CreateVirtualMFADevice(f.ctx, &awsiam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("root-device")})).VirtualMFADevice
	now := f.now.Now()
	// The SDK requires a UserName (the root's device is set in the
	// console); iamq takes the call without one as the root's, as
	// ListMFADevices and the other "calling user" operations do.
	resp, err := f.srv.Client().Do(signedForm(t, f, url.Values{"Action": {"EnableMFADevice"}, "Version": {"2010-05-08"},
		"SerialNumber":        {aws.ToString(d.SerialNumber)},
		"AuthenticationCode1": {totpCode(t, d.Base32StringSeed, now.Add(-60*time.Second))},
		"AuthenticationCode2": {totpCode(t, d.Base32StringSeed, now.Add(-30*time.Second))}}))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("EnableMFADevice(root) = %s", resp.Status)
	}
	sum := must(f.c.GetAccountSummary(f.ctx, &awsiam.GetAccountSummaryInput{})).SummaryMap
	if sum["AccountMFAEnabled"] != 1 || sum["MFADevicesInUse"] != 1 {
		t.Errorf("GetAccountSummary = AccountMFAEnabled %d, MFADevicesInUse %d", sum["AccountMFAEnabled"], sum["MFADevicesInUse"])
	}
	l := must(f.c.ListVirtualMFADevices(f.ctx, &awsiam.ListVirtualMFADevicesInput{}))
	if len(l.VirtualMFADevices) != 1 || l.VirtualMFADevices[0].User == nil || aws.ToString(l.VirtualMFADevices[0].User.Arn) != "arn:aws:iam::"+idAccount+":root" {
		t.Fatalf("ListVirtualMFADevices = %+v", l.VirtualMFADevices)
	}
	cr := must(f.stsFor(f.c).GetSessionToken(f.ctx, &awssts.GetSessionTokenInput{SerialNumber: d.SerialNumber,
		TokenCode: aws.String(totpCode(t, d.Base32StringSeed, now))})).Credentials
	rootIAM, _ := f.session(cr)
	must(rootIAM.ListUsers(f.ctx, &awsiam.ListUsersInput{}))
}
