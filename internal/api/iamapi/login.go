package iamapi

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/server"
)

// IAM's codes of the password operations (IAM API Reference, ChangePassword,
// CreateLoginProfile, UpdateLoginProfile: Errors).
const (
	codePasswordPolicy  server.Code = "PasswordPolicyViolation"
	codeInvalidUserType server.Code = "InvalidUserType"
)

// xmlLoginProfile is the model's LoginProfile.
type xmlLoginProfile struct {
	UserName              string
	CreateDate            string
	PasswordResetRequired bool
}

type loginProfileResult struct{ LoginProfile xmlLoginProfile }

// xmlPasswordPolicy is the model's PasswordPolicy. MaxPasswordAge and
// PasswordReusePrevention are absent when not set, as IAM answers.
type xmlPasswordPolicy struct {
	MinimumPasswordLength      int
	RequireSymbols             bool
	RequireNumbers             bool
	RequireUppercaseCharacters bool
	RequireLowercaseCharacters bool
	AllowUsersToChangePassword bool
	ExpirePasswords            bool
	MaxPasswordAge             int `xml:",omitempty"`
	PasswordReusePrevention    int `xml:",omitempty"`
	HardExpiry                 bool
}

type passwordPolicyResult struct{ PasswordPolicy xmlPasswordPolicy }

func loginOps() []operation {
	user := entityResource(iam.KindUser, "UserName")
	return []operation{
		{"CreateLoginProfile", (*api).createLoginProfile, user},
		{"GetLoginProfile", (*api).getLoginProfile, user},
		{"UpdateLoginProfile", (*api).updateLoginProfile, user},
		{"DeleteLoginProfile", (*api).deleteLoginProfile, user},
		{"ChangePassword", (*api).changePassword, callerResource},
		{"GetAccountPasswordPolicy", (*api).getPasswordPolicy, anyResource},
		{"UpdateAccountPasswordPolicy", (*api).updatePasswordPolicy, anyResource},
		{"DeleteAccountPasswordPolicy", (*api).deletePasswordPolicy, anyResource},
	}
}

// passwordGrant is what AllowUsersToChangePassword gives: "permissions to
// iam:ChangePassword for only their user" (IAM API Reference,
// PasswordPolicy). It is nil when the policy does not allow it, or the caller
// is no IAM user signing with its own keys.
func (a *api) passwordGrant(ctx context.Context, c *server.Call) *eval.Set {
	if c.Caller.Kind != eval.PrincipalUser || c.Caller.Session != nil || !a.iam.AllowsOwnPasswordChange(ctx, c.Caller.Account) {
		return nil
	}
	who, err := json.Marshal(c.Caller.ARN)
	if err != nil {
		return nil
	}
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":` + string(who) +
		`},"Action":"iam:ChangePassword","Resource":` + string(who) + `}]}`
	set, err := authz.CompileTrust(c.Caller.ARN, doc)
	if err != nil {
		return nil
	}
	return set
}

// callerResource is the caller's own ARN: ChangePassword acts on the
// calling user.
func callerResource(_ context.Context, _ *api, c *server.Call) string { return c.Caller.ARN }

// profileUser is whose login profile a call acts on: UserName, or the
// calling user.
func profileUser(c *server.Call) (string, error) {
	owner, err := keyOwner(c)
	if err != nil {
		return "", err
	}
	if owner.Kind != iam.KindUser {
		return "", iam.ErrNonUserCaller()
	}
	return owner.Name, nil
}

func loginProfileXML(p iam.LoginProfile) loginProfileResult {
	return loginProfileResult{xmlLoginProfile{UserName: p.User, CreateDate: server.ISODate(p.Created), PasswordResetRequired: p.ResetRequired}}
}

// loginInput reads Password and PasswordResetRequired.
func loginInput(c *server.Call, user string) iam.LoginProfileInput {
	in := iam.LoginProfileInput{User: user}
	if pw, ok := c.Form.Optional("Password"); ok {
		in.Password = &pw
	}
	if b, ok := c.Form.Bool("PasswordResetRequired"); ok {
		in.ResetRequired = &b
	}
	return in
}

func (a *api) createLoginProfile(ctx context.Context, c *server.Call) (any, error) {
	user, err := profileUser(c)
	if err != nil {
		return nil, err
	}
	in := loginInput(c, user)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.CreateLoginProfile(ctx, c.Caller.Account, in)
	if err != nil {
		return nil, err
	}
	return loginProfileXML(p), nil
}

func (a *api) getLoginProfile(ctx context.Context, c *server.Call) (any, error) {
	user, err := profileUser(c)
	if err != nil {
		return nil, err
	}
	p, err := a.iam.GetLoginProfile(ctx, c.Caller.Account, user)
	if err != nil {
		return nil, err
	}
	return loginProfileXML(p), nil
}

func (a *api) updateLoginProfile(ctx context.Context, c *server.Call) (any, error) {
	user, err := profileUser(c)
	if err != nil {
		return nil, err
	}
	in := loginInput(c, user)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.UpdateLoginProfile(ctx, c.Caller.Account, in)
}

func (a *api) deleteLoginProfile(ctx context.Context, c *server.Call) (any, error) {
	user, err := profileUser(c)
	if err != nil {
		return nil, err
	}
	return nil, a.iam.DeleteLoginProfile(ctx, c.Caller.Account, user)
}

// changePassword changes the calling IAM user's password; any other caller
// is InvalidUserType (IAM API Reference, ChangePassword: "To change the
// password for a different user, see UpdateLoginProfile").
func (a *api) changePassword(ctx context.Context, c *server.Call) (any, error) {
	old, pw := c.Form.String("OldPassword"), c.Form.String("NewPassword")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	if c.Caller.Kind != eval.PrincipalUser {
		return nil, &server.APIError{Code: codeInvalidUserType, Status: http.StatusBadRequest, Fault: server.Sender,
			Message: "Only IAM users can change their own password."}
	}
	return nil, a.iam.ChangePassword(ctx, c.Caller.Account, c.Caller.Name, old, pw)
}

func (a *api) getPasswordPolicy(ctx context.Context, c *server.Call) (any, error) {
	p, err := a.iam.GetAccountPasswordPolicy(ctx, c.Caller.Account)
	if err != nil {
		return nil, err
	}
	return passwordPolicyResult{xmlPasswordPolicy{MinimumPasswordLength: p.MinimumPasswordLength, RequireSymbols: p.RequireSymbols,
		RequireNumbers: p.RequireNumbers, RequireUppercaseCharacters: p.RequireUppercaseCharacters,
		RequireLowercaseCharacters: p.RequireLowercaseCharacters, AllowUsersToChangePassword: p.AllowUsersToChangePassword,
		ExpirePasswords: p.MaxPasswordAge > 0, MaxPasswordAge: p.MaxPasswordAge, PasswordReusePrevention: p.PasswordReusePrevention,
		HardExpiry: p.HardExpiry}}, nil
}

func (a *api) updatePasswordPolicy(ctx context.Context, c *server.Call) (any, error) {
	var in iam.PasswordPolicyInput
	ints := []struct {
		name string
		dst  **int
	}{{"MinimumPasswordLength", &in.MinimumPasswordLength}, {"MaxPasswordAge", &in.MaxPasswordAge},
		{"PasswordReusePrevention", &in.PasswordReusePrevention}}
	for _, f := range ints {
		if n, ok := c.Form.Int(f.name); ok {
			*f.dst = &n
		}
	}
	bools := []struct {
		name string
		dst  *bool
	}{{"RequireSymbols", &in.Policy.RequireSymbols}, {"RequireNumbers", &in.Policy.RequireNumbers},
		{"RequireUppercaseCharacters", &in.Policy.RequireUppercaseCharacters},
		{"RequireLowercaseCharacters", &in.Policy.RequireLowercaseCharacters},
		{"AllowUsersToChangePassword", &in.Policy.AllowUsersToChangePassword}, {"HardExpiry", &in.Policy.HardExpiry}}
	for _, f := range bools {
		*f.dst, _ = c.Form.Bool(f.name)
	}
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.UpdateAccountPasswordPolicy(ctx, c.Caller.Account, in)
}

func (a *api) deletePasswordPolicy(ctx context.Context, c *server.Call) (any, error) {
	return nil, a.iam.DeleteAccountPasswordPolicy(ctx, c.Caller.Account)
}
