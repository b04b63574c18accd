package iamapi

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iamq/iamq/internal/audit"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/server"
	"github.com/iamq/iamq/internal/server/servertest"
	"github.com/iamq/iamq/internal/store"
)

// auditFixture is the enforcing dev-mode endpoint of enforce_test.go with
// the decision log on (streamed to a buffer too), and clients whose
// signatures are kept, so that the test can look for them in the log.
type auditFixture struct {
	*enFixture
	log     *audit.Log
	stream  *syncBuffer
	sigs    *signatures
	handler *server.Server
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// signatures records the Signature of every request sent.
type signatures struct {
	mu   sync.Mutex
	next http.RoundTripper
	seen []string
}

func (s *signatures) RoundTrip(r *http.Request) (*http.Response, error) {
	if _, sig, ok := strings.Cut(r.Header.Get("Authorization"), "Signature="); ok {
		s.mu.Lock()
		s.seen = append(s.seen, sig)
		s.mu.Unlock()
	}
	return s.next.RoundTrip(r)
}

func newAuditFixture(t testing.TB, soft bool) *auditFixture {
	return newAuditFixtureWith(t, soft, true)
}

// newAuditFixtureWith is newAuditFixture with the log on or off.
func newAuditFixtureWith(t testing.TB, soft, on bool) *auditFixture {
	t.Helper()
	return newAuditFixtureStream(t, soft, on, true)
}

// newAuditFixtureStream is newAuditFixtureWith with the log streamed (to
// auditFixture.stream) or not, as 'iamq serve' has it by default.
func newAuditFixtureStream(t testing.TB, soft, on, streamed bool) *auditFixture {
	t.Helper()
	ctx := context.Background()
	st := servertest.OpenSQLite(t, store.Options{Key: bytes.Repeat([]byte{9}, 32)})
	lib := managed.Builtin()
	az := authz.New(st, lib, authz.Options{})
	changes := servertest.Follow(t, st, az.Apply)
	clock := &testClock{}
	clock.ns.Store(time.Now().UnixNano())
	stream := &syncBuffer{}
	lo := audit.Options{Store: st, Stream: stream, Interval: time.Hour}
	if !streamed {
		lo.Stream = nil
	}
	lg := audit.New(lo)
	lctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { lg.Run(lctx); close(done) }()
	svc := iam.New(st, lib, iam.Options{})
	o := server.Options{Authz: az, Sync: changes.Sync, Dev: true, DefaultAccount: idAccount, Now: clock.Now, Audit: lg, SoftEnforce: soft}
	if !on {
		o.Audit = nil
	}
	s := newServer(st, o, svc, az)
	f := &enFixture{t: tt(t), ctx: ctx, now: clock, az: az, api: &api{iam: svc, authz: az}}
	srv := servertest.Start(s)
	t.Cleanup(func() { srv.Close(); stop(); <-done })
	f.idFixture = &idFixture{srv: srv, st: st}
	a := &auditFixture{enFixture: f, log: lg, stream: stream, sigs: &signatures{next: srv.Client().Transport}, handler: s}
	f.c = a.client(idAccount, "anything", "")
	return a
}

// tt is the *testing.T the fixtures keep; a benchmark has none.
func tt(t testing.TB) *testing.T {
	if x, ok := t.(*testing.T); ok {
		return x
	}
	return &testing.T{}
}

// client is an IAM client whose requests' signatures are recorded.
func (a *auditFixture) client(id, secret, token string) *awsiam.Client {
	return awsiam.NewFromConfig(a.config(id, secret, token))
}

func (a *auditFixture) config(id, secret, token string) aws.Config {
	return aws.Config{Region: "us-east-1", Credentials: awscreds.NewStaticCredentialsProvider(id, secret, token),
		BaseEndpoint: aws.String(a.srv.URL), HTTPClient: &http.Client{Transport: a.sigs}, Retryer: servertest.Retryer}
}

// records flushes the log and returns its records, oldest first, decoded.
func (a *auditFixture) records() ([]store.AuditRecord, []map[string]any) {
	a.t.Helper()
	if err := a.log.Flush(a.ctx); err != nil {
		a.t.Fatal(err)
	}
	rows, err := a.st.AuditRecords(a.ctx, store.AuditQuery{Limit: store.MaxAuditLimit})
	if err != nil {
		a.t.Fatal(err)
	}
	var evs []map[string]any
	for _, r := range rows {
		var ev map[string]any
		if err := json.Unmarshal(r.Event, &ev); err != nil {
			a.t.Fatalf("record %s is not JSON: %v", r.ID, err)
		}
		evs = append(evs, ev)
	}
	return rows, evs
}

// TestAuditLog drives the endpoint through the SDK as a root, a user and a
// role session, and checks the log: exactly one record per call, in
// CloudTrail's shape, denials with their reasons and deciding statements,
// and none of the secrets that went over the wire — secret keys, session
// tokens, a password, signatures — anywhere in the store or the stream.
func TestAuditLog(t *testing.T) {
	a := newAuditFixture(t, false)
	ctx := a.ctx
	const password = "Corr3ct-Horse-Battery!"
	calls := 0
	count := func(err error) error { calls++; return err }
	call := func(_ any, err error) error { return count(err) }
	call(a.c.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("alice")}))
	_, err := a.c.CreateLoginProfile(ctx, &awsiam.CreateLoginProfileInput{UserName: aws.String("alice"), Password: aws.String(password)})
	count(err)
	key := must(a.c.CreateAccessKey(ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String("alice")})).AccessKey
	calls++
	must(a.c.PutUserPolicy(ctx, &awsiam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("p"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Sid":"Reads","Effect":"Allow","Action":["iam:ListUsers","iam:GetUser","sts:AssumeRole"],"Resource":"*"},` +
			`{"Sid":"NoDeletes","Effect":"Deny","Action":"iam:DeleteUser","Resource":"*"}]}`)}))
	calls++
	alice := a.client(aws.ToString(key.AccessKeyId), aws.ToString(key.SecretAccessKey), "")
	if err := count(listUsers(ctx, alice)); err != nil {
		t.Fatalf("ListUsers as alice = %v", err)
	}
	wantDenied(t, "CreateUser as alice", call(alice.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("mallory")})), "")
	_, err = alice.DeleteUser(ctx, &awsiam.DeleteUserInput{UserName: aws.String("alice")})
	wantDenied(t, "DeleteUser as alice", count(err), "")
	must(a.c.CreateRole(ctx, &awsiam.CreateRoleInput{RoleName: aws.String("app"), AssumeRolePolicyDocument: aws.String(trustOf(userARN("alice"), ""))}))
	calls++
	stsc := awssts.NewFromConfig(a.config(aws.ToString(key.AccessKeyId), aws.ToString(key.SecretAccessKey), ""))
	cr := must(stsc.AssumeRole(ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("app")), RoleSessionName: aws.String("s1")})).Credentials
	calls++
	app := a.client(aws.ToString(cr.AccessKeyId), aws.ToString(cr.SecretAccessKey), aws.ToString(cr.SessionToken))
	wantDenied(t, "ListRoles as the session", call(app.ListRoles(ctx, &awsiam.ListRolesInput{})), "")

	// A server certificate's private key and an MFA device's codes go over
	// the wire too.
	certPEM, keyPEM := credFile(t, "leaf-ec.pem"), credFile(t, "leaf-ec.key")
	call(a.c.UploadServerCertificate(ctx, &awsiam.UploadServerCertificateInput{ServerCertificateName: aws.String("www"),
		CertificateBody: aws.String(certPEM), PrivateKey: aws.String(keyPEM)}))
	dev := must(a.c.CreateVirtualMFADevice(ctx, &awsiam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("alice")})).VirtualMFADevice
	calls++
	now := a.now.Now()
	call(a.c.EnableMFADevice(ctx, &awsiam.EnableMFADeviceInput{UserName: aws.String("alice"), SerialNumber: dev.SerialNumber,
		AuthenticationCode1: aws.String(totpCode(t, dev.Base32StringSeed, now.Add(-30*time.Second))),
		AuthenticationCode2: aws.String(totpCode(t, dev.Base32StringSeed, now))}))

	rows, evs := a.records()
	if len(rows) != calls {
		t.Fatalf("the log holds %d records for %d calls", len(rows), calls)
	}
	ids := map[string]bool{}
	for _, ev := range evs {
		id, _ := ev["requestID"].(string)
		if id == "" || ids[id] {
			t.Errorf("record with a missing or repeated requestID: %v", ev)
		}
		ids[id] = true
		for _, k := range []string{"eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress", "userAgent", "userIdentity", "eventID"} {
			if ev[k] == nil || ev[k] == "" {
				t.Errorf("record %s has no %s", ev["eventName"], k)
			}
		}
	}
	byName := func(name string) map[string]any {
		for _, ev := range evs {
			if ev["eventName"] == name {
				return ev
			}
		}
		t.Fatalf("no record of %s", name)
		return nil
	}
	authz := func(ev map[string]any) map[string]any { m, _ := ev["authorization"].(map[string]any); return m }
	list := authz(byName("ListUsers"))
	if list["decision"] != "Allow" || !strings.Contains(mustJSON(list["statements"]), `"sid":"Reads"`) {
		t.Errorf("ListUsers's authorization = %v, want Allow by the statement Reads", list)
	}
	del := byName("DeleteUser")
	if d := authz(del); d["decision"] != "ExplicitDeny" || !strings.Contains(mustJSON(d["statements"]), `"sid":"NoDeletes"`) ||
		!strings.Contains(d["reason"].(string), "explicit deny") || del["errorCode"] != "AccessDenied" {
		t.Errorf("DeleteUser's record = %v, want an explicit deny by NoDeletes", del)
	}
	var create map[string]any
	for _, ev := range evs {
		if ui, _ := ev["userIdentity"].(map[string]any); ev["eventName"] == "CreateUser" && ui["type"] == "IAMUser" {
			create = ev // alice's, not the root's
		}
	}
	if d := authz(create); d["decision"] != "ImplicitDeny" || !strings.Contains(d["reason"].(string), "no identity-based policy allows") {
		t.Errorf("alice's CreateUser's authorization = %v, want an implicit deny", d)
	}
	roles := byName("ListRoles")
	ui, _ := roles["userIdentity"].(map[string]any)
	if ui["type"] != "AssumedRole" || ui["arn"] != "arn:aws:sts::"+idAccount+":assumed-role/app/s1" ||
		!strings.Contains(mustJSON(ui["sessionContext"]), `"arn":"arn:aws:iam::`+idAccount+`:role/app"`) {
		t.Errorf("the session's userIdentity = %v", ui)
	}
	profile := byName("CreateLoginProfile")
	if p, _ := profile["requestParameters"].(map[string]any); p["password"] != audit.Hidden || p["userName"] != "alice" {
		t.Errorf("CreateLoginProfile's requestParameters = %v, want the password hidden", profile["requestParameters"])
	}

	enable := byName("EnableMFADevice")
	if p, _ := enable["requestParameters"].(map[string]any); enable["errorCode"] != nil ||
		p["authenticationCode1"] != audit.Hidden || p["authenticationCode2"] != audit.Hidden {
		t.Errorf("EnableMFADevice's record = %v, want it to succeed with both codes hidden", enable)
	}
	upload := byName("UploadServerCertificate")
	if p, _ := upload["requestParameters"].(map[string]any); upload["errorCode"] != nil || p["privateKey"] != audit.Hidden {
		t.Errorf("UploadServerCertificate's record = %v, want it to succeed with the private key hidden", upload)
	}

	secrets := []string{password, aws.ToString(key.SecretAccessKey), aws.ToString(cr.SecretAccessKey), aws.ToString(cr.SessionToken),
		string(dev.Base32StringSeed)}
	for _, line := range strings.Split(keyPEM, "\n") {
		if !strings.HasPrefix(line, "-----") {
			secrets = append(secrets, strings.TrimSpace(line)) // each line of the key's base64
		}
	}
	a.sigs.mu.Lock()
	secrets = append(secrets, a.sigs.seen...)
	a.sigs.mu.Unlock()
	if len(secrets) < calls {
		t.Fatalf("only %d secrets and signatures recorded for %d calls", len(secrets), calls)
	}
	var all strings.Builder
	for _, r := range rows {
		all.Write(r.Event)
		all.WriteString(r.Principal + r.Entity + r.Action + r.ErrorCode)
	}
	all.WriteString(a.stream.String())
	for _, s := range secrets {
		if s != "" && strings.Contains(all.String(), s) {
			t.Errorf("the log holds a secret: %.12s…", s)
		}
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestAuditSoftEnforcement: under soft enforcement a call the policies deny
// goes through, and the log records it as would-have-been-denied, with the
// reason; an allowed call is recorded as allowed.
func TestAuditSoftEnforcement(t *testing.T) {
	a := newAuditFixture(t, true)
	ctx := a.ctx
	must(a.c.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("alice")}))
	key := must(a.c.CreateAccessKey(ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String("alice")})).AccessKey
	alice := a.client(aws.ToString(key.AccessKeyId), aws.ToString(key.SecretAccessKey), "")
	if _, err := alice.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("bob")}); err != nil {
		t.Fatalf("CreateUser as alice under soft enforcement = %v, want it let through", err)
	}
	must(a.c.GetUser(ctx, &awsiam.GetUserInput{UserName: aws.String("bob")}))
	rows, evs := a.records()
	var found bool
	for i, r := range rows {
		if r.Principal != userARN("alice") {
			continue
		}
		found = true
		d, _ := evs[i]["authorization"].(map[string]any)
		if r.Decision != string(audit.OutcomeWouldDeny) || d["decision"] != "ImplicitDeny" || d["enforced"] != false ||
			!strings.Contains(d["reason"].(string), "is not authorized to perform: iam:CreateUser") || r.ErrorCode != "" {
			t.Errorf("alice's CreateUser record = %s %s, want a would-have-been-denied implicit deny without error", r.Decision, r.Event)
		}
	}
	if !found {
		t.Fatalf("no record of alice's call")
	}
	got, err := a.st.AuditRecords(ctx, store.AuditQuery{Decision: string(audit.OutcomeWouldDeny)})
	if err != nil || len(got) != 1 {
		t.Errorf("AuditRecords(WouldDeny) = %d records, %v, want 1", len(got), err)
	}
}

// TestAuditWebIdentitySession: a call made with credentials from
// AssumeRoleWithWebIdentity is logged as the role session it is — type
// AssumedRole, the session's ARN, the role as issuer — and names the
// identity provider (CloudTrail's webIdFederationData); the token never
// appears in the log.
func TestAuditWebIdentitySession(t *testing.T) {
	a := newAuditFixture(t, false)
	idp, provider := trustWebIdentity(t, a.enFixture)
	token := mint(t, idp.key, "k1", idp.claims(a.now.Now(), "repo:acme/app", "sts.amazonaws.com"))
	out, err := assumeWeb(a.enFixture, token)
	if err != nil {
		t.Fatal(err)
	}
	iamc, _ := a.session(out.Credentials)
	if _, err := iamc.ListUsers(a.ctx, &awsiam.ListUsersInput{}); err != nil {
		t.Fatal(err)
	}
	rows, evs := a.records()
	var list map[string]any
	for _, ev := range evs {
		if ev["eventName"] == "ListUsers" {
			list = ev
		}
	}
	if list == nil {
		t.Fatal("the log has no ListUsers record")
	}
	id, _ := list["userIdentity"].(map[string]any)
	sc, _ := id["sessionContext"].(map[string]any)
	issuer, _ := sc["sessionIssuer"].(map[string]any)
	web, _ := sc["webIdFederationData"].(map[string]any)
	if id["type"] != "AssumedRole" || id["arn"] != "arn:aws:sts::"+idAccount+":assumed-role/ci/build-42" ||
		issuer["arn"] != roleARN("ci") || web["federatedProvider"] != provider {
		t.Errorf("the web identity session's userIdentity = %v, want AssumedRole of role ci from %s", id, provider)
	}
	for _, r := range rows {
		if strings.Contains(string(r.Event), token) || strings.Contains(string(r.Event), aws.ToString(out.Credentials.SessionToken)) {
			t.Errorf("record %s holds the web identity token or the session token", r.ID)
		}
	}
}
