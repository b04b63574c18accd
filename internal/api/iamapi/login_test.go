package iamapi

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
)

// TestLoginProfilesSDK: console passwords through the SDK, with the
// password policy enforced on every password set.
func TestLoginProfilesSDK(t *testing.T) {
	f := newEnforceFixture(t)
	ctx := f.ctx
	ann, _ := f.user("ann")
	_, err := f.c.GetLoginProfile(ctx, &awsiam.GetLoginProfileInput{UserName: aws.String("ann")})
	wantAPIError(t, "GetLoginProfile(none)", err, "NoSuchEntity", "Login Profile for User ann cannot be found.")
	_, err = f.c.GetAccountPasswordPolicy(ctx, &awsiam.GetAccountPasswordPolicyInput{})
	wantAPIError(t, "GetAccountPasswordPolicy(none)", err, "NoSuchEntity", "The Password Policy with domain name "+idAccount+" cannot be found.")

	must(f.c.UpdateAccountPasswordPolicy(ctx, &awsiam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(12),
		RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true,
		MaxPasswordAge: aws.Int32(90), PasswordReusePrevention: aws.Int32(2), HardExpiry: aws.Bool(true)}))
	pol := must(f.c.GetAccountPasswordPolicy(ctx, &awsiam.GetAccountPasswordPolicyInput{})).PasswordPolicy
	if aws.ToInt32(pol.MinimumPasswordLength) != 12 || !pol.RequireSymbols || !pol.ExpirePasswords || aws.ToInt32(pol.MaxPasswordAge) != 90 ||
		aws.ToInt32(pol.PasswordReusePrevention) != 2 || !aws.ToBool(pol.HardExpiry) || pol.AllowUsersToChangePassword {
		t.Fatalf("GetAccountPasswordPolicy = %+v", pol)
	}
	_, err = f.c.UpdateAccountPasswordPolicy(ctx, &awsiam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(200)})
	wantAPIError(t, "UpdateAccountPasswordPolicy(200)", err, "ValidationError",
		"1 validation error detected: Value '200' at 'minimumPasswordLength' failed to satisfy constraint: Member must have value less than or equal to 128")

	// The scenario: a password the policy refuses, with AWS's message.
	_, err = f.c.CreateLoginProfile(ctx, &awsiam.CreateLoginProfileInput{UserName: aws.String("ann"), Password: aws.String("short1!A")})
	wantAPIError(t, "CreateLoginProfile(short)", err, "PasswordPolicyViolation", "Password does not conform to the account password policy.")
	_, err = f.c.CreateLoginProfile(ctx, &awsiam.CreateLoginProfileInput{UserName: aws.String("ann"), Password: aws.String("longenough-but-no-upper-1")})
	wantAPIError(t, "CreateLoginProfile(no upper)", err, "PasswordPolicyViolation", "Password does not conform to the account password policy.")
	long := strings.Repeat("Aa1!", 33)
	_, err = f.c.CreateLoginProfile(ctx, &awsiam.CreateLoginProfileInput{UserName: aws.String("ann"), Password: aws.String(long)})
	wantAPIError(t, "CreateLoginProfile(132 characters)", err, "ValidationError", "")
	if strings.Contains(err.Error(), "Aa1!") {
		t.Errorf("CreateLoginProfile(132 characters) = %v: the refusal quotes the password", err)
	}
	p := must(f.c.CreateLoginProfile(ctx, &awsiam.CreateLoginProfileInput{UserName: aws.String("ANN"), Password: aws.String("First-Password-1"),
		PasswordResetRequired: true})).LoginProfile
	if aws.ToString(p.UserName) != "ann" || !p.PasswordResetRequired || p.CreateDate == nil {
		t.Fatalf("CreateLoginProfile = %+v", p)
	}
	_, err = f.c.CreateLoginProfile(ctx, &awsiam.CreateLoginProfileInput{UserName: aws.String("ann"), Password: aws.String("First-Password-1")})
	wantAPIError(t, "CreateLoginProfile(again)", err, "EntityAlreadyExists", "Login Profile for user ann already exists.")
	_, err = f.c.CreateLoginProfile(ctx, &awsiam.CreateLoginProfileInput{UserName: aws.String("nobody"), Password: aws.String("First-Password-1")})
	wantAPIError(t, "CreateLoginProfile(nobody)", err, "NoSuchEntity", "The user with name nobody cannot be found.")
	got := must(f.c.GetLoginProfile(ctx, &awsiam.GetLoginProfileInput{UserName: aws.String("ann")})).LoginProfile
	if aws.ToString(got.UserName) != "ann" || !got.PasswordResetRequired {
		t.Errorf("GetLoginProfile = %+v", got)
	}
	_, err = f.c.DeleteUser(ctx, &awsiam.DeleteUserInput{UserName: aws.String("ann")})
	wantAPIError(t, "DeleteUser(with a password)", err, "DeleteConflict", "Cannot delete entity, must delete login profile first.")

	// ChangePassword: the user's own, with iam:ChangePassword on itself.
	_, err = ann.ChangePassword(ctx, &awsiam.ChangePasswordInput{OldPassword: aws.String("First-Password-1"), NewPassword: aws.String("Second-Password-2")})
	wantDenied(t, "ChangePassword(no policy)", err, "")
	f.putUserPolicy("ann", "pw", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ChangePassword","Resource":"arn:aws:iam::*:user/${aws:username}"}]}`)
	_, err = ann.ChangePassword(ctx, &awsiam.ChangePasswordInput{OldPassword: aws.String("Wrong-Password-1"), NewPassword: aws.String("Second-Password-2")})
	wantAPIError(t, "ChangePassword(wrong old)", err, "AccessDenied", "The old password is incorrect.")
	_, err = ann.ChangePassword(ctx, &awsiam.ChangePasswordInput{OldPassword: aws.String("First-Password-1"), NewPassword: aws.String("First-Password-1")})
	wantAPIError(t, "ChangePassword(same)", err, "PasswordPolicyViolation", "Password does not conform to the account password policy.")
	must(ann.ChangePassword(ctx, &awsiam.ChangePasswordInput{OldPassword: aws.String("First-Password-1"), NewPassword: aws.String("Second-Password-2")}))
	if got := must(f.c.GetLoginProfile(ctx, &awsiam.GetLoginProfileInput{UserName: aws.String("ann")})).LoginProfile; got.PasswordResetRequired {
		t.Error("GetLoginProfile after ChangePassword: PasswordResetRequired is still set")
	}
	// Reuse prevention of 2: the current and the one before are refused.
	_, err = f.c.UpdateLoginProfile(ctx, &awsiam.UpdateLoginProfileInput{UserName: aws.String("ann"), Password: aws.String("First-Password-1")})
	wantAPIError(t, "UpdateLoginProfile(reused)", err, "PasswordPolicyViolation", "Password does not conform to the account password policy.")
	must(f.c.UpdateLoginProfile(ctx, &awsiam.UpdateLoginProfileInput{UserName: aws.String("ann"), Password: aws.String("Third-Password-3")}))
	must(f.c.UpdateLoginProfile(ctx, &awsiam.UpdateLoginProfileInput{UserName: aws.String("ann"), Password: aws.String("First-Password-1"),
		PasswordResetRequired: aws.Bool(true)}))
	// HardExpiry: after MaxPasswordAge, only an administrator may reset it.
	f.now.Add(91 * 24 * time.Hour)
	annLater := awsiam.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: ann.Options().Credentials, BaseEndpoint: aws.String(f.srv.URL),
		RetryMaxAttempts: 1}, func(o *awsiam.Options) { o.HTTPSignerV4 = clockSigner{v4.NewSigner(), f.now.Now} })
	_, err = annLater.ChangePassword(ctx, &awsiam.ChangePasswordInput{OldPassword: aws.String("First-Password-1"), NewPassword: aws.String("Fourth-Password-4")})
	wantAPIError(t, "ChangePassword(expired)", err, "AccessDenied", "The password has expired; an administrator must reset it.")

	_, err = f.c.ChangePassword(ctx, &awsiam.ChangePasswordInput{OldPassword: aws.String("x"), NewPassword: aws.String("y")})
	wantAPIError(t, "ChangePassword(root)", err, "InvalidUserType", "")
	must(f.c.DeleteLoginProfile(ctx, &awsiam.DeleteLoginProfileInput{UserName: aws.String("ann")}))
	_, err = f.c.DeleteLoginProfile(ctx, &awsiam.DeleteLoginProfileInput{UserName: aws.String("ann")})
	wantAPIError(t, "DeleteLoginProfile(again)", err, "NoSuchEntity", "Login Profile for User ann cannot be found.")
	must(f.c.DeleteAccountPasswordPolicy(ctx, &awsiam.DeleteAccountPasswordPolicyInput{}))
	_, err = f.c.DeleteAccountPasswordPolicy(ctx, &awsiam.DeleteAccountPasswordPolicyInput{})
	wantAPIError(t, "DeleteAccountPasswordPolicy(again)", err, "NoSuchEntity", "")
}

// TestAllowUsersToChangePassword: the password policy's setting lets every
// IAM user change its own password without a policy; an explicit deny still
// wins, and without the setting a policy is needed.
func TestAllowUsersToChangePassword(t *testing.T) {
	f := newEnforceFixture(t)
	ctx := f.ctx
	bob, _ := f.user("bob")
	eve, _ := f.user("eve")
	for _, u := range []string{"bob", "eve"} {
		must(f.c.CreateLoginProfile(ctx, &awsiam.CreateLoginProfileInput{UserName: aws.String(u), Password: aws.String("Old-Password-1")}))
	}
	change := func(c *awsiam.Client) error {
		_, err := c.ChangePassword(ctx, &awsiam.ChangePasswordInput{OldPassword: aws.String("Old-Password-1"), NewPassword: aws.String("New-Password-2")})
		return err
	}
	wantDenied(t, "ChangePassword(no setting, no policy)", change(bob), "")
	must(f.c.UpdateAccountPasswordPolicy(ctx, &awsiam.UpdateAccountPasswordPolicyInput{AllowUsersToChangePassword: true}))
	f.putUserPolicy("eve", "no", deny("iam:ChangePassword"))
	wantDenied(t, "ChangePassword(setting, explicit deny)", change(eve), "")
	if err := change(bob); err != nil {
		t.Fatalf("ChangePassword(setting) = %v", err)
	}
}
