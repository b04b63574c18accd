package iamapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/iamq/iamq/internal/server/servertest"
)

// trustUser is a trust policy that names one principal ARN (or account),
// with an optional condition.
func trustOf(principal, condition string) string {
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + principal + `"},"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]`
	if condition != "" {
		doc += `,"Condition":` + condition
	}
	return doc + `}]}`
}

func userARN(name string) string { return "arn:aws:iam::" + idAccount + ":user/" + name }
func roleARN(name string) string { return "arn:aws:iam::" + idAccount + ":role/" + name }

// role creates a role with a trust policy, an inline policy and, when not 0,
// a MaxSessionDuration.
func (f *enFixture) role(name, trust, inline string, maxSession int32) {
	f.t.Helper()
	in := &awsiam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)}
	if maxSession != 0 {
		in.MaxSessionDuration = aws.Int32(maxSession)
	}
	must(f.c.CreateRole(f.ctx, in))
	if inline != "" {
		must(f.c.PutRolePolicy(f.ctx, &awsiam.PutRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String("p"), PolicyDocument: aws.String(inline)}))
	}
}

// stsFor is an STS client with the credentials of an IAM client.
func (f *enFixture) stsFor(c *awsiam.Client) *awssts.Client {
	return awssts.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: c.Options().Credentials, BaseEndpoint: aws.String(f.srv.URL), Retryer: servertest.Retryer})
}

// session returns IAM and STS clients acting with AssumeRole's credentials.
// They sign with the server's clock, so that a test can move time past a
// session's expiry without the signature's own 15-minute window refusing
// the request first.
func (f *enFixture) session(cr *ststypes.Credentials) (*awsiam.Client, *awssts.Client) {
	p := awscreds.NewStaticCredentialsProvider(aws.ToString(cr.AccessKeyId), aws.ToString(cr.SecretAccessKey), aws.ToString(cr.SessionToken))
	cfg := aws.Config{Region: "us-east-1", Credentials: p, BaseEndpoint: aws.String(f.srv.URL), RetryMaxAttempts: 1}
	signer := clockSigner{v4.NewSigner(), f.now.Now}
	return awsiam.NewFromConfig(cfg, func(o *awsiam.Options) { o.HTTPSignerV4 = signer }),
		awssts.NewFromConfig(cfg, func(o *awssts.Options) { o.HTTPSignerV4 = signer })
}

// clockSigner signs with a test's clock instead of the machine's.
type clockSigner struct {
	s   *v4.Signer
	now func() time.Time
}

func (c clockSigner) SignHTTP(ctx context.Context, cr aws.Credentials, r *http.Request, payloadHash, service, region string, _ time.Time, opts ...func(*v4.SignerOptions)) error {
	return c.s.SignHTTP(ctx, cr, r, payloadHash, service, region, c.now(), opts...)
}

func TestAssumeRoleTrust(t *testing.T) {
	f := newEnforceFixture(t)
	alice, _ := f.user("alice")
	bob, _ := f.user("bob")
	f.role("direct", trustOf(userARN("alice"), ""), allow("iam:ListUsers", ""), 0)
	f.role("byaccount", trustOf("arn:aws:iam::"+idAccount+":root", ""), allow("iam:ListUsers", ""), 0)
	as := f.stsFor(alice)
	out, err := as.AssumeRole(f.ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("direct")), RoleSessionName: aws.String("s1")})
	if err != nil {
		t.Fatalf("AssumeRole allowed by a trust policy naming the user = %v", err)
	}
	if got := aws.ToString(out.AssumedRoleUser.Arn); got != "arn:aws:sts::"+idAccount+":assumed-role/direct/s1" {
		t.Errorf("AssumedRoleUser.Arn = %s", got)
	}
	if id := aws.ToString(out.Credentials.AccessKeyId); !strings.HasPrefix(id, "ASIA") || len(id) != 20 {
		t.Errorf("AccessKeyId = %s, want ASIA…", id)
	}
	si, ss := f.session(out.Credentials)
	who := must(ss.GetCallerIdentity(f.ctx, &awssts.GetCallerIdentityInput{}))
	if aws.ToString(who.Arn) != "arn:aws:sts::"+idAccount+":assumed-role/direct/s1" || !strings.HasSuffix(aws.ToString(who.UserId), ":s1") {
		t.Errorf("GetCallerIdentity as the session = %s %s", aws.ToString(who.Arn), aws.ToString(who.UserId))
	}
	if err := listUsers(f.ctx, si); err != nil {
		t.Errorf("ListUsers as a role session allowed to = %v", err)
	}
	_, err = si.CreateUser(f.ctx, &awsiam.CreateUserInput{UserName: aws.String("x")})
	wantDenied(t, "CreateUser as the role session", err,
		"User: arn:aws:sts::"+idAccount+":assumed-role/direct/s1 is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::"+idAccount+":user/x because no identity-based policy allows the iam:CreateUser action")

	// bob is not named: refused, with STS's message.
	_, err = f.stsFor(bob).AssumeRole(f.ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("direct")), RoleSessionName: aws.String("s0")})
	wantDenied(t, "AssumeRole by a user the trust policy does not name", err,
		"User: "+userARN("bob")+" is not authorized to perform: sts:AssumeRole on resource: "+roleARN("direct"))
	// A trust policy naming the account needs the caller's own allow.
	_, err = as.AssumeRole(f.ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("byaccount")), RoleSessionName: aws.String("s0")})
	wantDenied(t, "AssumeRole of a role trusting the account, without an identity allow", err, "")
	f.putUserPolicy("alice", "assume", allow("sts:AssumeRole", ""))
	if _, err := as.AssumeRole(f.ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("byaccount")), RoleSessionName: aws.String("s0")}); err != nil {
		t.Errorf("AssumeRole of a role trusting the account, with an identity allow = %v", err)
	}
	// An identity allow alone does not make a role assumable.
	f.putUserPolicy("bob", "assume", allow("sts:AssumeRole", ""))
	_, err = f.stsFor(bob).AssumeRole(f.ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("direct")), RoleSessionName: aws.String("s0")})
	wantDenied(t, "AssumeRole with an identity allow but no trust", err, "")
	// A role that does not exist is refused the same way.
	_, err = as.AssumeRole(f.ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("nope")), RoleSessionName: aws.String("s0")})
	wantDenied(t, "AssumeRole of a missing role", err, "User: "+userARN("alice")+" is not authorized to perform: sts:AssumeRole on resource: "+roleARN("nope"))
	// The root may not assume roles.
	_, err = f.stsFor(f.c).AssumeRole(f.ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("direct")), RoleSessionName: aws.String("s0")})
	wantDenied(t, "AssumeRole as the root", err, "Roles may not be assumed by root accounts.")
}

func TestAssumeRoleParameters(t *testing.T) {
	f := newEnforceFixture(t)
	alice, _ := f.user("alice")
	f.role("ext", trustOf(userARN("alice"), `{"StringEquals":{"sts:ExternalId":"secret-42"}}`), "", 0)
	f.role("long", trustOf(userARN("alice"), ""), "", 7200)
	as := f.stsFor(alice)
	assume := func(in awssts.AssumeRoleInput) error {
		if in.RoleSessionName == nil {
			in.RoleSessionName = aws.String("s0")
		}
		_, err := as.AssumeRole(f.ctx, &in)
		return err
	}
	tests := []struct {
		name string
		in   awssts.AssumeRoleInput
		code string
		msg  string
	}{
		{"external id missing", awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("ext"))}, "AccessDenied", ""},
		{"external id wrong", awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("ext")), ExternalId: aws.String("guess")}, "AccessDenied", ""},
		{"external id right", awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("ext")), ExternalId: aws.String("secret-42")}, "", ""},
		{"duration too short", awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("long")), DurationSeconds: aws.Int32(899)}, "ValidationError",
			"1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{"duration zero", awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("long")), DurationSeconds: aws.Int32(0)}, "ValidationError",
			"1 validation error detected: Value '0' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{"duration within max", awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("long")), DurationSeconds: aws.Int32(7200)}, "", ""},
		{"duration over max", awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("long")), DurationSeconds: aws.Int32(7201)}, "ValidationError",
			"The requested DurationSeconds exceeds the MaxSessionDuration set for this role."},
		{"session name short", awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("long")), RoleSessionName: aws.String("a")}, "ValidationError", ""},
		{"session name chars", awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("long")), RoleSessionName: aws.String("a b")}, "ValidationError", ""},
		{"session policy malformed", awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("long")), Policy: aws.String(`{"Statement":`)}, "MalformedPolicyDocument", ""},
		{"too many policy arns", awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("long")), PolicyArns: policyARNs(11)}, "ValidationError", ""},
		{"packed size", awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("long")), PolicyArns: longPolicyARNs(10)}, "PackedPolicyTooLarge", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := assume(tt.in)
			if tt.code == "" {
				if err != nil {
					t.Errorf("AssumeRole(%s) = %v, want success", tt.name, err)
				}
				return
			}
			wantAPIError(t, "AssumeRole("+tt.name+")", err, tt.code, tt.msg)
		})
	}
}

func policyARNs(n int) []ststypes.PolicyDescriptorType {
	var out []ststypes.PolicyDescriptorType
	for i := 0; i < n; i++ {
		out = append(out, ststypes.PolicyDescriptorType{Arn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")})
	}
	return out
}

func longPolicyARNs(n int) []ststypes.PolicyDescriptorType {
	var out []ststypes.PolicyDescriptorType
	for i := 0; i < n; i++ {
		out = append(out, ststypes.PolicyDescriptorType{Arn: aws.String("arn:aws:iam::" + idAccount + ":policy/" + strings.Repeat("p", 120) + "/" + strings.Repeat("n", 100))})
	}
	return out
}

func TestAssumeRoleSessionPolicyAndTags(t *testing.T) {
	f := newEnforceFixture(t)
	alice, _ := f.user("alice")
	f.role("admin", trustOf(userARN("alice"), ""), allow("iam:*", ""), 0)
	notag := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + userARN("alice") + `"},"Action":"sts:AssumeRole"}]}`
	f.role("notag", notag, allow("iam:*", ""), 0)
	as := f.stsFor(alice)
	// A session policy narrows the role's permissions.
	out := must(as.AssumeRole(f.ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("admin")), RoleSessionName: aws.String("narrow"),
		Policy: aws.String(allow("iam:ListUsers", ""))}))
	if out.PackedPolicySize == nil || *out.PackedPolicySize <= 0 {
		t.Errorf("PackedPolicySize = %v, want a percentage", out.PackedPolicySize)
	}
	si, _ := f.session(out.Credentials)
	if err := listUsers(f.ctx, si); err != nil {
		t.Errorf("ListUsers within the session policy = %v", err)
	}
	_, err := si.ListRoles(f.ctx, &awsiam.ListRolesInput{})
	wantDenied(t, "ListRoles outside the session policy", err,
		"User: arn:aws:sts::"+idAccount+":assumed-role/admin/narrow is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::"+idAccount+":role/ because no session policy allows the iam:ListRoles action")

	// Session tags need sts:TagSession in the trust policy.
	tags := []ststypes.Tag{{Key: aws.String("project"), Value: aws.String("blue")}}
	_, err = as.AssumeRole(f.ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("notag")), RoleSessionName: aws.String("t0"), Tags: tags})
	wantDenied(t, "AssumeRole with tags without sts:TagSession", err,
		"User: "+userARN("alice")+" is not authorized to perform: sts:TagSession on resource: "+roleARN("notag"))
	out = must(as.AssumeRole(f.ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("admin")), RoleSessionName: aws.String("t0"), Tags: tags,
		TransitiveTagKeys: []string{"project"}, SourceIdentity: aws.String("alice-src")}))
	if aws.ToString(out.SourceIdentity) != "alice-src" {
		t.Errorf("SourceIdentity = %q", aws.ToString(out.SourceIdentity))
	}
	// The session's tags are its principal tags.
	must(f.c.PutRolePolicy(f.ctx, &awsiam.PutRolePolicyInput{RoleName: aws.String("admin"), PolicyName: aws.String("p"),
		PolicyDocument: aws.String(allow("iam:ListUsers", `{"StringEquals":{"aws:PrincipalTag/project":"blue"}}`))}))
	si, ss := f.session(out.Credentials)
	if err := listUsers(f.ctx, si); err != nil {
		t.Errorf("ListUsers with a session tag the policy requires = %v", err)
	}
	// Role chaining: the transitive tag passes on, and at most one hour.
	f.role("next", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"`+roleARN("admin")+`"},"Action":["sts:AssumeRole","sts:TagSession"]}]}`,
		allow("iam:ListUsers", `{"StringEquals":{"aws:PrincipalTag/project":"blue"}}`), 43200)
	must(f.c.PutRolePolicy(f.ctx, &awsiam.PutRolePolicyInput{RoleName: aws.String("admin"), PolicyName: aws.String("chain"), PolicyDocument: aws.String(allow("sts:AssumeRole", ""))}))
	_, err = ss.AssumeRole(f.ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("next")), RoleSessionName: aws.String("c0"), DurationSeconds: aws.Int32(3601)})
	wantAPIError(t, "chained AssumeRole over an hour", err, "ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	chained := must(ss.AssumeRole(f.ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("next")), RoleSessionName: aws.String("c0")}))
	if aws.ToString(chained.SourceIdentity) != "alice-src" {
		t.Errorf("chained SourceIdentity = %q, want the first session's", aws.ToString(chained.SourceIdentity))
	}
	ci, _ := f.session(chained.Credentials)
	if err := listUsers(f.ctx, ci); err != nil {
		t.Errorf("ListUsers in a chained session with the transitive tag = %v", err)
	}
}

// TestAssumeRolePolicyARNs: the session's managed policies must exist in the
// role's account, or be AWS managed; the call is refused otherwise, and only
// once the caller is allowed to assume the role.
func TestAssumeRolePolicyARNs(t *testing.T) {
	f := newEnforceFixture(t)
	alice, _ := f.user("alice")
	bob, _ := f.user("bob")
	f.role("r", trustOf(userARN("alice"), ""), allow("iam:*", ""), 0)
	mine := f.policy("narrow", allow("iam:ListUsers", ""))
	const other = "444455556666"
	oc := f.client(other, "x") // dev mode: the root of the other account
	theirs := aws.ToString(must(oc.CreatePolicy(f.ctx, &awsiam.CreatePolicyInput{PolicyName: aws.String("narrow"), PolicyDocument: aws.String(allow("iam:ListUsers", ""))})).Policy.Arn)
	arns := func(list ...string) []ststypes.PolicyDescriptorType {
		var out []ststypes.PolicyDescriptorType
		for _, a := range list {
			out = append(out, ststypes.PolicyDescriptorType{Arn: aws.String(a)})
		}
		return out
	}
	missing := "arn:aws:iam::" + idAccount + ":policy/nope"
	tests := []struct {
		name string
		arns []string
		code string
	}{
		{"customer policy of the role's account", []string{mine}, ""},
		{"AWS managed policy", []string{"arn:aws:iam::aws:policy/ReadOnlyAccess", mine}, ""},
		{"missing policy", []string{mine, missing}, "InvalidParameterValue"},
		{"policy of another account", []string{theirs}, "InvalidParameterValue"},
		{"missing AWS managed policy", []string{"arn:aws:iam::aws:policy/NoSuchPolicy"}, "InvalidParameterValue"},
		{"path differs", []string{"arn:aws:iam::" + idAccount + ":policy/team/narrow"}, "InvalidParameterValue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.stsFor(alice).AssumeRole(f.ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("r")), RoleSessionName: aws.String("p0"), PolicyArns: arns(tt.arns...)})
			if tt.code == "" {
				if err != nil {
					t.Errorf("AssumeRole(%s) = %v, want success", tt.name, err)
				}
				return
			}
			bad := tt.arns[len(tt.arns)-1]
			wantAPIError(t, "AssumeRole("+tt.name+")", err, tt.code, "Policy "+bad+" does not exist in the account of the role.")
		})
	}
	// A caller the role does not trust learns nothing of the account's policies.
	_, err := f.stsFor(bob).AssumeRole(f.ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("r")), RoleSessionName: aws.String("p0"), PolicyArns: arns(missing)})
	wantDenied(t, "AssumeRole by an untrusted caller with a missing policy", err, "")
	// The session policy narrows the session.
	out := must(f.stsFor(alice).AssumeRole(f.ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("r")), RoleSessionName: aws.String("p1"), PolicyArns: arns(mine)}))
	si, _ := f.session(out.Credentials)
	if err := listUsers(f.ctx, si); err != nil {
		t.Errorf("ListUsers within the managed session policy = %v", err)
	}
	_, err = si.ListRoles(f.ctx, &awsiam.ListRolesInput{})
	wantDenied(t, "ListRoles outside the managed session policy", err, "")
}

// TestAssumeRoleSessionTagRules: session tags follow the model's Tag
// constraints — no wildcard in a value, which a condition on
// aws:PrincipalTag would take for a pattern — and no reserved aws: key.
func TestAssumeRoleSessionTagRules(t *testing.T) {
	f := newEnforceFixture(t)
	alice, _ := f.user("alice")
	f.role("tagged", trustOf(userARN("alice"), ""), allow("iam:ListUsers", ""), 0)
	as := f.stsFor(alice)
	tag := func(k, v string) ststypes.Tag { return ststypes.Tag{Key: aws.String(k), Value: aws.String(v)} }
	pattern := `[\p{L}\p{Z}\p{N}_.:/=+\-@]`
	tests := []struct {
		name       string
		tags       []ststypes.Tag
		transitive []string
		code, msg  string
	}{
		{"value star", []ststypes.Tag{tag("team", "*")}, nil, "ValidationError",
			"1 validation error detected: Value '*' at 'tags.1.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern: " + pattern + "*"},
		{"value question mark", []ststypes.Tag{tag("a", "b"), tag("team", "blue?")}, nil, "ValidationError",
			"1 validation error detected: Value 'blue?' at 'tags.2.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern: " + pattern + "*"},
		{"key star", []ststypes.Tag{tag("te*m", "blue")}, nil, "ValidationError",
			"1 validation error detected: Value 'te*m' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: " + pattern + "+"},
		{"transitive key star", []ststypes.Tag{tag("team", "blue")}, []string{"*"}, "ValidationError",
			"1 validation error detected: Value '*' at 'transitiveTagKeys.1.member' failed to satisfy constraint: Member must satisfy regular expression pattern: " + pattern + "+"},
		{"key reserved", []ststypes.Tag{tag("aws:username", "root")}, nil, "InvalidParameterValue",
			"The tag key 'aws:username' is not valid: tag keys that begin with aws: are reserved for AWS internal use."},
		{"allowed characters", []ststypes.Tag{tag("Team 1_.:/=+-@", "Grüße 7_.:/=+-@"), tag("empty", "")}, nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := as.AssumeRole(f.ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("tagged")), RoleSessionName: aws.String("t0"),
				Tags: tt.tags, TransitiveTagKeys: tt.transitive})
			if tt.code == "" {
				if err != nil {
					t.Errorf("AssumeRole(%s) = %v, want success", tt.name, err)
				}
				return
			}
			wantAPIError(t, "AssumeRole("+tt.name+")", err, tt.code, tt.msg)
		})
	}
}

func TestAssumeRoleExpiryAndTamper(t *testing.T) {
	f := newEnforceFixture(t)
	alice, _ := f.user("alice")
	f.role("r", trustOf(userARN("alice"), ""), allow("iam:ListUsers", ""), 0)
	out := must(f.stsFor(alice).AssumeRole(f.ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("r")), RoleSessionName: aws.String("s0"), DurationSeconds: aws.Int32(900)}))
	si, _ := f.session(out.Credentials)
	if err := listUsers(f.ctx, si); err != nil {
		t.Fatal(err)
	}
	cr := *out.Credentials
	tok := aws.ToString(cr.SessionToken)
	flip := "x"
	if tok[20] == 'x' { // a tamper must change the token
		flip = "y"
	}
	cr.SessionToken = aws.String(tok[:20] + flip + tok[21:])
	tampered, _ := f.session(&cr)
	wantAPIError(t, "ListUsers with a tampered session token", listUsers(f.ctx, tampered), "InvalidClientTokenId", "")
	cr.SessionToken = nil
	noToken, _ := f.session(&cr)
	wantAPIError(t, "ListUsers without the session token", listUsers(f.ctx, noToken), "InvalidClientTokenId", "")
	// 15 minutes later the key expires (the SDK signs with its own clock,
	// which stays within the allowed skew of the moved server clock).
	f.now.Add(14*time.Minute + 59*time.Second)
	if err := listUsers(f.ctx, si); err != nil {
		t.Fatalf("ListUsers just before expiry = %v", err)
	}
	f.now.Add(2 * time.Second)
	wantAPIError(t, "ListUsers after expiry", listUsers(f.ctx, si), "ExpiredToken", "")
}

func TestAssumeRoleCrossAccount(t *testing.T) {
	f := newEnforceFixture(t)
	const other = "444455556666"
	oc := f.client(other, "x") // dev mode: the root of the other account
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + idAccount + `:root"},"Action":"sts:AssumeRole"}]}`
	must(oc.CreateRole(f.ctx, &awsiam.CreateRoleInput{RoleName: aws.String("xacct"), AssumeRolePolicyDocument: aws.String(trust)}))
	must(oc.PutRolePolicy(f.ctx, &awsiam.PutRolePolicyInput{RoleName: aws.String("xacct"), PolicyName: aws.String("p"), PolicyDocument: aws.String(allow("iam:ListUsers", ""))}))
	alice, _ := f.user("alice")
	as := f.stsFor(alice)
	xarn := "arn:aws:iam::" + other + ":role/xacct"
	_, err := as.AssumeRole(f.ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(xarn), RoleSessionName: aws.String("x0")})
	wantDenied(t, "cross-account AssumeRole without the caller's allow", err, "User: "+userARN("alice")+" is not authorized to perform: sts:AssumeRole on resource: "+xarn)
	f.putUserPolicy("alice", "x", allow("sts:AssumeRole", ""))
	out, err := as.AssumeRole(f.ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(xarn), RoleSessionName: aws.String("x0")})
	if err != nil {
		t.Fatalf("cross-account AssumeRole allowed by both sides = %v", err)
	}
	si, ss := f.session(out.Credentials)
	who := must(ss.GetCallerIdentity(f.ctx, &awssts.GetCallerIdentityInput{}))
	if aws.ToString(who.Account) != other {
		t.Errorf("the session's account = %s, want %s", aws.ToString(who.Account), other)
	}
	if err := listUsers(f.ctx, si); err != nil {
		t.Errorf("ListUsers in the other account as its role = %v", err)
	}
	// The other account's role trusts only its root's account, not bob's.
	must(oc.UpdateAssumeRolePolicy(f.ctx, &awsiam.UpdateAssumeRolePolicyInput{RoleName: aws.String("xacct"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + other + `:root"},"Action":"sts:AssumeRole"}]}`)}))
	_, err = as.AssumeRole(f.ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(xarn), RoleSessionName: aws.String("x0")})
	wantDenied(t, "cross-account AssumeRole the trust policy does not allow", err, "")
}

func TestGetSessionToken(t *testing.T) {
	f := newEnforceFixture(t)
	alice, _ := f.user("alice")
	f.putUserPolicy("alice", "p", allow("iam:ListUsers", ""))
	f.putUserPolicy("alice", "assume", allow("sts:AssumeRole", ""))
	f.role("r", trustOf(userARN("alice"), ""), allow("iam:ListUsers", ""), 0)
	out := must(f.stsFor(alice).GetSessionToken(f.ctx, &awssts.GetSessionTokenInput{DurationSeconds: aws.Int32(900)}))
	si, ss := f.session(out.Credentials)
	who := must(ss.GetCallerIdentity(f.ctx, &awssts.GetCallerIdentityInput{}))
	if aws.ToString(who.Arn) != userARN("alice") {
		t.Errorf("GetCallerIdentity with GetSessionToken's credentials = %s, want the user", aws.ToString(who.Arn))
	}
	// Without MFA, the session may call no IAM operation, even one the
	// user's policies allow; AssumeRole it may call.
	wantAPIError(t, "ListUsers with a GetSessionToken session without MFA", listUsers(f.ctx, si), "InvalidClientTokenId",
		"The security token included in the request is invalid")
	_, err := si.GetUser(f.ctx, &awsiam.GetUserInput{})
	wantAPIError(t, "GetUser (of itself) with a GetSessionToken session", err, "InvalidClientTokenId", "")
	if listUsers(f.ctx, alice) != nil {
		t.Errorf("ListUsers with the user's own key, after its session was refused, fails")
	}
	ar, err := ss.AssumeRole(f.ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("r")), RoleSessionName: aws.String("s0")})
	if err != nil {
		t.Fatalf("AssumeRole with a GetSessionToken session = %v", err)
	}
	ri, _ := f.session(ar.Credentials)
	if err := listUsers(f.ctx, ri); err != nil {
		t.Errorf("ListUsers as a role assumed from a GetSessionToken session = %v", err)
	}
	// The root's sessions are limited alike.
	root := must(f.stsFor(f.c).GetSessionToken(f.ctx, &awssts.GetSessionTokenInput{}))
	rooti, _ := f.session(root.Credentials)
	_, err = rooti.CreateUser(f.ctx, &awsiam.CreateUserInput{UserName: aws.String("x")})
	wantAPIError(t, "CreateUser with the root's GetSessionToken session", err, "InvalidClientTokenId", "The security token included in the request is invalid")
	_, err = ss.GetSessionToken(f.ctx, &awssts.GetSessionTokenInput{})
	wantDenied(t, "GetSessionToken with session credentials", err, "Cannot call GetSessionToken with session credentials")
	_, err = f.stsFor(alice).GetSessionToken(f.ctx, &awssts.GetSessionTokenInput{DurationSeconds: aws.Int32(129601)})
	wantAPIError(t, "GetSessionToken over 36 hours", err, "ValidationError", "")
	for _, n := range []int32{0, 899} {
		_, err = f.stsFor(alice).GetSessionToken(f.ctx, &awssts.GetSessionTokenInput{DurationSeconds: aws.Int32(n)})
		wantAPIError(t, fmt.Sprintf("GetSessionToken(DurationSeconds=%d)", n), err, "ValidationError",
			fmt.Sprintf("1 validation error detected: Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900", n))
	}
	f.now.Add(16 * time.Minute)
	wantAPIError(t, "ListUsers after the session expired", listUsers(f.ctx, si), "ExpiredToken", "")
}
