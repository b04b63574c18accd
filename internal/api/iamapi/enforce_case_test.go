package iamapi

import (
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/server"
)

// IAM names are unique regardless of case and found so, so every spelling of
// a name reaches the same entity; the decision must be the same for all of
// them, taken on the entity's ARN as stored (issue 14, item 1).

// caseNames are the entities the case property test names, each with the
// stored spelling of its name.
const (
	caseUser    = "Protected"
	caseGroup   = "Admins"
	caseRole    = "Ops"
	caseProfile = "Prof"
	casePolicy  = "Pol"
)

// spellings returns name as given and three other spellings of it.
func spellings(name string) []string {
	swap := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		if r >= 'A' && r <= 'Z' {
			return r - 'A' + 'a'
		}
		return r
	}, name)
	return []string{name, strings.ToUpper(name), strings.ToLower(name), swap}
}

// caseFixture creates the entities and mallory, a user allowed iam:* except
// on those entities, on the policy Pol as a condition key, and on
// GetAccessKeyLastUsed of anyone but herself.
func caseFixture(t *testing.T) (f *enFixture, mallory authz.Principal, keyID string) {
	f = newEnforceFixture(t)
	must(f.c.CreateUser(f.ctx, &awsiam.CreateUserInput{UserName: aws.String(caseUser), Path: aws.String("/team/")}))
	key := must(f.c.CreateAccessKey(f.ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String(caseUser)})).AccessKey
	must(f.c.CreateGroup(f.ctx, &awsiam.CreateGroupInput{GroupName: aws.String(caseGroup)}))
	must(f.c.CreateRole(f.ctx, &awsiam.CreateRoleInput{RoleName: aws.String(caseRole), AssumeRolePolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + idAccount + `:root"},"Action":"sts:AssumeRole"}]}`)}))
	must(f.c.CreateInstanceProfile(f.ctx, &awsiam.CreateInstanceProfileInput{InstanceProfileName: aws.String(caseProfile)}))
	pol := f.policy(casePolicy, allow("mq:ListBrokers", ""))
	a := "arn:aws:iam::" + idAccount + ":"
	f.user("mallory")
	f.putUserPolicy("mallory", "all-but", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"iam:*","Resource":"*"},
		{"Effect":"Deny","Action":"iam:*","Resource":["`+a+`user/team/`+caseUser+`","`+a+`group/`+caseGroup+`",
			"`+a+`role/`+caseRole+`","`+a+`instance-profile/`+caseProfile+`","`+pol+`"]},
		{"Effect":"Deny","Action":"iam:*","Resource":"*","Condition":{"ArnEquals":{"iam:PolicyARN":"`+pol+`"}}},
		{"Effect":"Deny","Action":"iam:*","Resource":"*","Condition":{"ArnEquals":{"iam:PermissionsBoundary":"`+pol+`"}}}]}`)
	u := must(f.c.GetUser(f.ctx, &awsiam.GetUserInput{UserName: aws.String("mallory")})).User
	mallory = authz.Principal{Kind: eval.PrincipalUser, Account: idAccount, ARN: aws.ToString(u.Arn), UserID: aws.ToString(u.UserId), Name: "mallory"}
	return f, mallory, aws.ToString(key.AccessKeyId)
}

// caseForm is a request naming every entity, each name spelled spell(name).
func caseForm(action, keyID string, spell func(string) string) url.Values {
	a := "arn:aws:iam::" + idAccount + ":"
	return url.Values{"Action": {action}, "Version": {"2010-05-08"},
		"UserName": {spell(caseUser)}, "GroupName": {spell(caseGroup)}, "RoleName": {spell(caseRole)},
		"InstanceProfileName": {spell(caseProfile)}, "PolicyName": {spell(casePolicy)},
		"PolicyArn": {a + "policy/" + spell(casePolicy)}, "PermissionsBoundary": {a + "policy/" + spell(casePolicy)},
		"PolicySourceArn": {a + "user/team/" + spell(caseUser)}, "AccessKeyId": {keyID}}
}

func TestEnforceNameCase(t *testing.T) {
	f, mallory, keyID := caseFixture(t)
	for _, o := range f.api.operations() {
		name := o.name
		t.Run(name, func(t *testing.T) {
			decide := func(spell func(string) string) (resource string, denied bool) {
				form, err := server.ParseForm(caseForm(name, keyID, spell).Encode())
				if err != nil {
					t.Fatal(err)
				}
				c := &server.Call{Service: Service, Action: name, Caller: mallory, Form: form, Time: f.now.Now()}
				resource = o.resource(f.ctx, f.api, c)
				p := mallory
				err = f.az.Authorize(f.ctx, &p, &authz.Request{Action: "iam:" + name, Resource: resource, Keys: f.api.conditionKeys(f.ctx, c)})
				return resource, err != nil
			}
			wantRes, wantDenied := decide(func(s string) string { return s })
			for i := 1; i < 4; i++ {
				spell := func(s string) string { return spellings(s)[i] }
				res, denied := decide(spell)
				if res != wantRes || denied != wantDenied {
					t.Errorf("%s spelled %q: resource %s, denied %v; want %s, %v (as spelled %q)",
						name, spell(caseUser), res, denied, wantRes, wantDenied, caseUser)
				}
			}
		})
	}
}

// TestEnforceNameCaseExploits replays the attacks of issue 14 through the SDK.
func TestEnforceNameCaseExploits(t *testing.T) {
	f := newEnforceFixture(t)
	a := "arn:aws:iam::" + idAccount + ":"
	must(f.c.CreateGroup(f.ctx, &awsiam.CreateGroupInput{GroupName: aws.String("Admins")}))
	must(f.c.CreateUser(f.ctx, &awsiam.CreateUserInput{UserName: aws.String("Protected")}))
	bob, _ := f.user("bob")
	f.putUserPolicy("bob", "p", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"iam:AddUserToGroup","Resource":"`+a+`group/a*"},
		{"Effect":"Allow","Action":"iam:*","Resource":"`+a+`user/*"},
		{"Effect":"Deny","Action":"iam:*","Resource":"`+a+`user/Protected"}]}`)
	for _, g := range []string{"Admins", "admins", "ADMINS"} {
		_, err := bob.AddUserToGroup(f.ctx, &awsiam.AddUserToGroupInput{GroupName: aws.String(g), UserName: aws.String("bob")})
		wantDenied(t, "AddUserToGroup "+g, err, "User: "+a+"user/bob is not authorized to perform: iam:AddUserToGroup on resource: "+a+
			"group/Admins because no identity-based policy allows the iam:AddUserToGroup action")
	}
	for _, u := range []string{"PROTECTED", "protected", "pROTECTED"} {
		_, err := bob.PutUserPolicy(f.ctx, &awsiam.PutUserPolicyInput{UserName: aws.String(u), PolicyName: aws.String("x"), PolicyDocument: aws.String(allow("*", ""))})
		wantDenied(t, "PutUserPolicy "+u, err, "")
		_, err = bob.CreateAccessKey(f.ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String(u)})
		wantDenied(t, "CreateAccessKey "+u, err, "")
		_, err = bob.DeleteUser(f.ctx, &awsiam.DeleteUserInput{UserName: aws.String(u)})
		wantDenied(t, "DeleteUser "+u, err, "")
	}
	if _, err := f.c.GetUser(f.ctx, &awsiam.GetUserInput{UserName: aws.String("Protected")}); err != nil {
		t.Fatalf("Protected after the attacks: %v", err)
	}

	// Delegation with a boundary: carol may not remove her own boundary,
	// however she spells her name.
	boundary := f.policy("boundary", allow("iam:*", ""))
	carol, _ := f.user("carol")
	must(f.c.PutUserPermissionsBoundary(f.ctx, &awsiam.PutUserPermissionsBoundaryInput{UserName: aws.String("carol"), PermissionsBoundary: aws.String(boundary)}))
	f.putUserPolicy("carol", "p", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"iam:*","Resource":"*"},
		{"Effect":"Deny","Action":"iam:DeleteUserPermissionsBoundary","Resource":"`+a+`user/${aws:username}"}]}`)
	for _, u := range []string{"carol", "CAROL", "Carol"} {
		_, err := carol.DeleteUserPermissionsBoundary(f.ctx, &awsiam.DeleteUserPermissionsBoundaryInput{UserName: aws.String(u)})
		wantDenied(t, "DeleteUserPermissionsBoundary "+u, err, "")
	}
}

// TestEnforceKeyLastUsedOwner: GetAccessKeyLastUsed acts on the key's owner,
// not on the caller (issue 14, item 2).
func TestEnforceKeyLastUsedOwner(t *testing.T) {
	f := newEnforceFixture(t)
	a := "arn:aws:iam::" + idAccount + ":"
	dave, daveKey := f.user("dave")
	_, eveKey := f.user("eve")
	f.putUserPolicy("dave", "self", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"iam:GetAccessKeyLastUsed","Resource":"`+a+`user/${aws:username}"}]}`)
	out, err := dave.GetAccessKeyLastUsed(f.ctx, &awsiam.GetAccessKeyLastUsedInput{AccessKeyId: aws.String(daveKey)})
	if err != nil || aws.ToString(out.UserName) != "dave" {
		t.Fatalf("GetAccessKeyLastUsed(own key) = %v, %v; want dave's", out, err)
	}
	_, err = dave.GetAccessKeyLastUsed(f.ctx, &awsiam.GetAccessKeyLastUsedInput{AccessKeyId: aws.String(eveKey)})
	wantDenied(t, "GetAccessKeyLastUsed(eve's key)", err, "User: "+a+"user/dave is not authorized to perform: iam:GetAccessKeyLastUsed on resource: "+a+
		"user/eve because no identity-based policy allows the iam:GetAccessKeyLastUsed action")
	_, err = dave.GetAccessKeyLastUsed(f.ctx, &awsiam.GetAccessKeyLastUsedInput{AccessKeyId: aws.String("AKIAZZZZZZZZZZZZZZZZ")})
	wantDenied(t, "GetAccessKeyLastUsed(unknown key)", err, "")
}

// TestEnforceRenameTarget: renaming a user or group needs permission on the
// new name too (IAM API Reference, UpdateUser: "to change Bob to Robert, the
// entity making the request must have permission on Bob and Robert").
func TestEnforceRenameTarget(t *testing.T) {
	f := newEnforceFixture(t)
	a := "arn:aws:iam::" + idAccount + ":"
	must(f.c.CreateUser(f.ctx, &awsiam.CreateUserInput{UserName: aws.String("alice")}))
	must(f.c.CreateGroup(f.ctx, &awsiam.CreateGroupInput{GroupName: aws.String("apes")}))
	ren, _ := f.user("renamer")
	f.putUserPolicy("renamer", "p", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["iam:UpdateUser","iam:UpdateGroup"],"Resource":["`+a+`user/al*","`+a+`group/ap*"]}]}`)
	_, err := ren.UpdateUser(f.ctx, &awsiam.UpdateUserInput{UserName: aws.String("alice"), NewUserName: aws.String("Admin")})
	wantDenied(t, "UpdateUser alice → Admin", err, "User: "+a+"user/renamer is not authorized to perform: iam:UpdateUser on resource: "+a+
		"user/Admin because no identity-based policy allows the iam:UpdateUser action")
	_, err = ren.UpdateUser(f.ctx, &awsiam.UpdateUserInput{UserName: aws.String("alice"), NewPath: aws.String("/admins/")})
	wantDenied(t, "UpdateUser alice → /admins/", err, "")
	_, err = ren.UpdateGroup(f.ctx, &awsiam.UpdateGroupInput{GroupName: aws.String("apes"), NewGroupName: aws.String("Admins")})
	wantDenied(t, "UpdateGroup apes → Admins", err, "")
	if _, err := f.c.GetUser(f.ctx, &awsiam.GetUserInput{UserName: aws.String("alice")}); err != nil {
		t.Fatalf("alice after the refused renames: %v", err)
	}
	must(ren.UpdateUser(f.ctx, &awsiam.UpdateUserInput{UserName: aws.String("alice"), NewUserName: aws.String("alina")}))
	must(ren.UpdateGroup(f.ctx, &awsiam.UpdateGroupInput{GroupName: aws.String("apes"), NewGroupName: aws.String("apex")}))
}
