package iamapi

import (
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/authz"
)

func simulate(f *enFixture, user string, actions ...string) map[string]iamtypes.EvaluationResult {
	f.t.Helper()
	out := must(f.c.SimulatePrincipalPolicy(f.ctx, &awsiam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(userARN(user)), ActionNames: actions}))
	res := map[string]iamtypes.EvaluationResult{}
	for _, r := range out.EvaluationResults {
		res[aws.ToString(r.EvalActionName)] = r
	}
	return res
}

// TestSimulatorMatchesEnforcement compares SimulatePrincipalPolicy with what
// the real calls do, for the same user, through attach, boundary and deny.
func TestSimulatorMatchesEnforcement(t *testing.T) {
	f := newEnforceFixture(t)
	alice, _ := f.user("alice")
	calls := map[string]func() error{
		"iam:ListUsers": func() error { return listUsers(f.ctx, alice) },
		"iam:ListRoles": func() error { _, err := alice.ListRoles(f.ctx, &awsiam.ListRolesInput{}); return err },
		"iam:GetUser":   func() error { _, err := alice.GetUser(f.ctx, &awsiam.GetUserInput{}); return err },
	}
	compare := func(stage string) {
		t.Helper()
		got := simulate(f, "alice", "iam:ListUsers", "iam:ListRoles", "iam:GetUser")
		for action, call := range calls {
			err := call()
			real := eval.Allowed
			if err != nil {
				wantDenied(t, stage+" "+action, err, "")
				real = eval.ImplicitDeny
				if strings.Contains(err.Error(), "explicit deny") {
					real = eval.ExplicitDeny
				}
			}
			if sim := string(got[action].EvalDecision); sim != real.String() {
				t.Errorf("%s: SimulatePrincipalPolicy(%s) = %s, the real call %s", stage, action, sim, real)
			}
		}
	}
	compare("no policy")
	arn := f.policy("list", `{"Version":"2012-10-17","Statement":[{"Sid":"L","Effect":"Allow","Action":"iam:List*","Resource":"*"}]}`)
	must(f.c.AttachUserPolicy(f.ctx, &awsiam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String(arn)}))
	compare("attached")
	r := simulate(f, "alice", "iam:ListUsers")["iam:ListUsers"]
	if len(r.MatchedStatements) != 1 || aws.ToString(r.MatchedStatements[0].SourcePolicyId) != arn ||
		r.MatchedStatements[0].SourcePolicyType != iamtypes.PolicySourceTypeUserManaged ||
		r.MatchedStatements[0].StartPosition == nil || r.MatchedStatements[0].StartPosition.Column != 38 {
		t.Errorf("MatchedStatements = %+v", r.MatchedStatements)
	}
	bound := f.policy("bound", allow("iam:ListUsers", ""))
	must(f.c.PutUserPermissionsBoundary(f.ctx, &awsiam.PutUserPermissionsBoundaryInput{UserName: aws.String("alice"), PermissionsBoundary: aws.String(bound)}))
	compare("boundary")
	if d := simulate(f, "alice", "iam:ListRoles")["iam:ListRoles"].PermissionsBoundaryDecisionDetail; d == nil || d.AllowedByPermissionsBoundary {
		t.Errorf("PermissionsBoundaryDecisionDetail of ListRoles = %+v, want not allowed", d)
	}
	f.putUserPolicy("alice", "deny", deny("iam:ListUsers"))
	compare("explicit deny")
	r = simulate(f, "alice", "iam:ListUsers")["iam:ListUsers"]
	if len(r.MatchedStatements) != 1 || r.MatchedStatements[0].SourcePolicyType != iamtypes.PolicySourceTypeUser || aws.ToString(r.MatchedStatements[0].SourcePolicyId) != "deny" {
		t.Errorf("MatchedStatements of the deny = %+v", r.MatchedStatements)
	}
	// A boundary input replaces the user's boundary.
	out := must(f.c.SimulatePrincipalPolicy(f.ctx, &awsiam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(userARN("alice")),
		ActionNames: []string{"iam:ListRoles"}, PermissionsBoundaryPolicyInputList: []string{allow("iam:*", "")}}))
	if out.EvaluationResults[0].EvalDecision != iamtypes.PolicyEvaluationDecisionTypeAllowed {
		t.Errorf("ListRoles with a wider boundary input = %s", out.EvaluationResults[0].EvalDecision)
	}
}

func TestSimulateCustomPolicy(t *testing.T) {
	f := newEnforceFixture(t)
	pol := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mq:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`
	in := &awsiam.SimulateCustomPolicyInput{PolicyInputList: []string{pol}, ActionNames: []string{"mq:CreateBroker", "mq:DeleteBroker", "ec2:RunInstances"},
		ResourceArns:   []string{"arn:aws:mq:us-east-1:" + idAccount + ":broker:a:b-1", "arn:aws:mq:us-east-1:" + idAccount + ":broker:b:b-2"},
		ContextEntries: []iamtypes.ContextEntry{{ContextKeyName: aws.String("aws:SourceIp"), ContextKeyType: iamtypes.ContextKeyTypeEnumIp, ContextKeyValues: []string{"10.1.2.3"}}},
		MaxItems:       aws.Int32(4)}
	var all []iamtypes.EvaluationResult
	pager := awsiam.NewSimulateCustomPolicyPaginator(f.c, in)
	pages := 0
	for pager.HasMorePages() {
		all = append(all, must(pager.NextPage(f.ctx)).EvaluationResults...)
		pages++
	}
	if len(all) != 6 || pages != 2 {
		t.Fatalf("SimulateCustomPolicy gave %d results in %d pages, want 6 in 2", len(all), pages)
	}
	want := []iamtypes.PolicyEvaluationDecisionType{"allowed", "allowed", "allowed", "allowed", "implicitDeny", "implicitDeny"}
	for i, r := range all {
		if r.EvalDecision != want[i] {
			t.Errorf("result %d (%s on %s) = %s, want %s", i, aws.ToString(r.EvalActionName), aws.ToString(r.EvalResourceName), r.EvalDecision, want[i])
		}
	}
	// Without the context value the key is missing.
	in.ContextEntries, in.MaxItems = nil, nil
	out := must(f.c.SimulateCustomPolicy(f.ctx, in))
	if r := out.EvaluationResults[0]; r.EvalDecision != "implicitDeny" || len(r.MissingContextValues) != 1 || r.MissingContextValues[0] != "aws:SourceIp" {
		t.Errorf("without aws:SourceIp = %s missing %v", r.EvalDecision, r.MissingContextValues)
	}
	// A resource policy in another account, and the caller's ARN.
	rp := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + idAccount + `:user/bob"},"Action":"s3:GetObject","Resource":"*"}]}`
	xo := must(f.c.SimulateCustomPolicy(f.ctx, &awsiam.SimulateCustomPolicyInput{PolicyInputList: []string{allow("s3:GetObject", "")}, ActionNames: []string{"s3:GetObject"},
		ResourcePolicy: aws.String(rp), ResourceOwner: aws.String("arn:aws:iam::444455556666:root"), CallerArn: aws.String(userARN("bob")),
		ResourceArns: []string{"arn:aws:s3:::b/k"}}))
	if r := xo.EvaluationResults[0]; r.EvalDecision != "allowed" || r.EvalDecisionDetails["Resource Policy"] != "allowed" {
		t.Errorf("cross-account simulation = %s %v", r.EvalDecision, r.EvalDecisionDetails)
	}
	keys := must(f.c.GetContextKeysForCustomPolicy(f.ctx, &awsiam.GetContextKeysForCustomPolicyInput{PolicyInputList: []string{pol, allow("iam:*", `{"StringEquals":{"aws:PrincipalTag/team":"x"}}`)}}))
	if strings.Join(keys.ContextKeyNames, ",") != "aws:PrincipalTag/team,aws:SourceIp" {
		t.Errorf("GetContextKeysForCustomPolicy = %v", keys.ContextKeyNames)
	}
	_, err := f.c.SimulateCustomPolicy(f.ctx, &awsiam.SimulateCustomPolicyInput{PolicyInputList: []string{`{"Statement":`}, ActionNames: []string{"mq:X"}})
	wantAPIError(t, "SimulateCustomPolicy with a malformed policy", err, "MalformedPolicyDocument", "")
}

func TestContextKeysForPrincipalPolicy(t *testing.T) {
	f := newEnforceFixture(t)
	f.user("carol")
	f.putUserPolicy("carol", "p", allow("iam:*", `{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}`))
	out := must(f.c.GetContextKeysForPrincipalPolicy(f.ctx, &awsiam.GetContextKeysForPrincipalPolicyInput{PolicySourceArn: aws.String(userARN("carol")),
		PolicyInputList: []string{allow("s3:*", `{"Bool":{"aws:SecureTransport":"true"}}`)}}))
	if strings.Join(out.ContextKeyNames, ",") != "aws:RequestedRegion,aws:SecureTransport" {
		t.Errorf("GetContextKeysForPrincipalPolicy = %v", out.ContextKeyNames)
	}
	_, err := f.c.GetContextKeysForPrincipalPolicy(f.ctx, &awsiam.GetContextKeysForPrincipalPolicyInput{PolicySourceArn: aws.String(userARN("nobody"))})
	wantAPIError(t, "GetContextKeysForPrincipalPolicy of a missing user", err, "NoSuchEntity", "")
}

// corpusFile is the part of an eval corpus file the simulator test reads.
type corpusFile struct {
	Policies map[string][]struct {
		ID       string          `json:"id"`
		Document json.RawMessage `json:"document"`
	} `json:"policies"`
	Defaults corpusRequest `json:"defaults"`
	Cases    []struct {
		Name    string        `json:"name"`
		Request corpusRequest `json:"request"`
		Want    string        `json:"want"`
	} `json:"cases"`
}

type corpusRequest struct {
	Principal *struct {
		Kind string            `json:"kind"`
		ARN  string            `json:"arn"`
		Tags map[string]string `json:"tags"`
	} `json:"principal"`
	Action          string `json:"action"`
	Resource        string `json:"resource"`
	ResourceAccount string `json:"resourceAccount"`
	Context         []struct {
		Key    string   `json:"key"`
		Type   string   `json:"type"`
		Values []string `json:"values"`
	} `json:"context"`
}

// TestSimulatorCorpus runs the eval corpus's cases of IAM users with
// identity policies and boundaries through SimulatePrincipalPolicy, and the
// same requests through the authorizer that enforces real calls: both must
// give the corpus's decision.
func TestSimulatorCorpus(t *testing.T) {
	files, err := filepath.Glob("../../../eval/testdata/cases/*/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	f := newEnforceFixture(t)
	ran := 0
	for i, file := range files {
		var cf corpusFile
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &cf); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if !userOnly(cf) {
			continue
		}
		t.Run(filepath.Base(filepath.Dir(file))+"/"+filepath.Base(file), func(t *testing.T) {
			ran += runCorpusFile(t, f, cf, i)
		})
	}
	if ran < 50 {
		t.Errorf("the simulator ran %d corpus cases, want at least 50", ran)
	}
}

// userOnly reports whether a corpus file only has identity policies and a
// boundary, for users of the fixture's account.
func userOnly(cf corpusFile) bool {
	for kind := range cf.Policies {
		if kind != "identity" && kind != "boundary" {
			return false
		}
	}
	p := cf.Defaults.Principal
	return p != nil && p.Kind == "user" && strings.HasPrefix(p.ARN, "arn:aws:iam::"+idAccount+":user/") && len(cf.Policies["boundary"]) <= 1
}

// runCorpusFile puts the file's policies on a new user and checks its cases;
// it returns how many it ran.
func runCorpusFile(t *testing.T, f *enFixture, cf corpusFile, n int) int {
	user := "corpus" + string(rune('a'+n%26)) + strings.Repeat("x", n/26)
	var tags []iamtypes.Tag
	for k, v := range cf.Defaults.Principal.Tags {
		tags = append(tags, iamtypes.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	must(f.c.CreateUser(f.ctx, &awsiam.CreateUserInput{UserName: aws.String(user), Tags: tags}))
	for i, p := range cf.Policies["identity"] {
		// Inline for the first, managed for the others: both paths load.
		if i == 0 {
			if _, err := f.c.PutUserPolicy(f.ctx, &awsiam.PutUserPolicyInput{UserName: aws.String(user), PolicyName: aws.String("p0"),
				PolicyDocument: aws.String(string(p.Document))}); err == nil {
				continue
			}
		}
		out, err := f.c.CreatePolicy(f.ctx, &awsiam.CreatePolicyInput{PolicyName: aws.String(user + "-p" + string(rune('0'+i))), PolicyDocument: aws.String(string(p.Document))})
		if err != nil {
			t.Skipf("IAM refuses the corpus policy %s: %v", p.ID, err)
		}
		must(f.c.AttachUserPolicy(f.ctx, &awsiam.AttachUserPolicyInput{UserName: aws.String(user), PolicyArn: out.Policy.Arn}))
	}
	for _, p := range cf.Policies["boundary"] {
		out, err := f.c.CreatePolicy(f.ctx, &awsiam.CreatePolicyInput{PolicyName: aws.String(user + "-boundary"), PolicyDocument: aws.String(string(p.Document))})
		if err != nil {
			t.Skipf("IAM refuses the corpus boundary %s: %v", p.ID, err)
		}
		must(f.c.PutUserPermissionsBoundary(f.ctx, &awsiam.PutUserPermissionsBoundaryInput{UserName: aws.String(user), PermissionsBoundary: out.Policy.Arn}))
	}
	arn := userARN(user)
	ran := 0
	for _, c := range cf.Cases {
		r := c.Request
		if r.Principal != nil && r.Principal.ARN != cf.Defaults.Principal.ARN || r.ResourceAccount != "" {
			continue
		}
		if r.Action == "" {
			r.Action = cf.Defaults.Action
		}
		if r.Resource == "" {
			r.Resource = cf.Defaults.Resource
		}
		if len(r.Context) == 0 {
			r.Context = cf.Defaults.Context
		}
		if strings.Contains(r.Resource, "${") || usesUserName(cf) {
			continue // policy variables of the corpus's user name
		}
		in := &awsiam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(arn), ActionNames: []string{r.Action}, ResourceArns: []string{r.Resource}}
		var entries []iamtypes.ContextEntry
		for _, e := range r.Context {
			typ := e.Type
			if len(e.Values) > 1 {
				typ += "List"
			}
			entries = append(entries, iamtypes.ContextEntry{ContextKeyName: aws.String(e.Key), ContextKeyType: iamtypes.ContextKeyTypeEnum(typ), ContextKeyValues: e.Values})
		}
		in.ContextEntries = entries
		out := must(f.c.SimulatePrincipalPolicy(f.ctx, in))
		sim := string(out.EvaluationResults[0].EvalDecision)
		enforced := enforcedDecision(t, f, arn, user, r)
		if sim != c.Want || enforced != c.Want {
			t.Errorf("%s: SimulatePrincipalPolicy = %s, enforcement = %s, want %s", c.Name, sim, enforced, c.Want)
		}
		ran++
	}
	return ran
}

// usesUserName reports whether a file's policies use variables that name
// the corpus's own user (which the fixture's user does not share).
func usesUserName(cf corpusFile) bool {
	for _, ps := range cf.Policies {
		for _, p := range ps {
			if strings.Contains(string(p.Document), "${aws:username}") || strings.Contains(string(p.Document), "${aws:userid}") ||
				strings.Contains(string(p.Document), "PrincipalArn") || strings.Contains(string(p.Document), "aws:userid") || strings.Contains(string(p.Document), "aws:username") {
				return true
			}
		}
	}
	return false
}

// enforcedDecision asks the authorizer that enforces real calls, with the
// same request and context keys.
func enforcedDecision(t *testing.T, f *enFixture, arn, user string, r corpusRequest) string {
	t.Helper()
	u := must(f.c.GetUser(f.ctx, &awsiam.GetUserInput{UserName: aws.String(user)}))
	p := &authz.Principal{Kind: eval.PrincipalUser, Account: idAccount, ARN: arn, UserID: aws.ToString(u.User.UserId), Name: user}
	keys := func(ec *eval.Context) {
		for _, e := range r.Context {
			for _, v := range e.Values {
				val, err := eval.ParseValue(e.Type, v)
				if err != nil {
					t.Fatal(err)
				}
				ec.Add(e.Key, val)
			}
		}
	}
	err := f.az.Authorize(f.ctx, p, &authz.Request{Action: r.Action, Resource: r.Resource, Keys: keys, Info: authz.RequestInfo{SourceIP: netip.Addr{}}})
	var d *authz.DeniedError
	switch {
	case err == nil:
		return "allowed"
	case errors.As(err, &d):
		return d.Explanation.Decision.String()
	}
	t.Fatal(err)
	return ""
}

// TestSimulateRoleAndGroup: a role is simulated as its sessions act, a group
// with its own policies.
func TestSimulateRoleAndGroup(t *testing.T) {
	f := newEnforceFixture(t)
	alice, _ := f.user("alice")
	f.role("reader", trustOf(userARN("alice"), ""), allow("iam:ListUsers", ""), 0)
	out := must(f.stsFor(alice).AssumeRole(f.ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("reader")), RoleSessionName: aws.String("sim")}))
	si, _ := f.session(out.Credentials)
	sim := must(f.c.SimulatePrincipalPolicy(f.ctx, &awsiam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(roleARN("reader")),
		ActionNames: []string{"iam:ListUsers", "iam:ListRoles"}}))
	_, listRoles := si.ListRoles(f.ctx, &awsiam.ListRolesInput{})
	real := []error{listUsers(f.ctx, si), listRoles}
	for i, r := range sim.EvaluationResults {
		if allowed := r.EvalDecision == iamtypes.PolicyEvaluationDecisionTypeAllowed; allowed != (real[i] == nil) {
			t.Errorf("SimulatePrincipalPolicy(role, %s) = %s, the session's call: %v", aws.ToString(r.EvalActionName), r.EvalDecision, real[i])
		}
	}
	must(f.c.CreateGroup(f.ctx, &awsiam.CreateGroupInput{GroupName: aws.String("g")}))
	must(f.c.PutGroupPolicy(f.ctx, &awsiam.PutGroupPolicyInput{GroupName: aws.String("g"), PolicyName: aws.String("gp"), PolicyDocument: aws.String(allow("iam:GetGroup", ""))}))
	g := must(f.c.SimulatePrincipalPolicy(f.ctx, &awsiam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:iam::" + idAccount + ":group/g"),
		ActionNames: []string{"iam:GetGroup", "iam:DeleteGroup"}}))
	if g.EvaluationResults[0].EvalDecision != "allowed" || g.EvaluationResults[1].EvalDecision != "implicitDeny" ||
		g.EvaluationResults[0].MatchedStatements[0].SourcePolicyType != iamtypes.PolicySourceTypeGroup {
		t.Errorf("SimulatePrincipalPolicy(group) = %+v", g.EvaluationResults)
	}
}
