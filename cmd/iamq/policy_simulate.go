package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/catalog"
	"github.com/iamq/iamq/policy"
)

const simulateUsage = `Usage:
  iamq policy simulate --policy FILE… [--boundary FILE] [--resource-policy FILE]
      [--session-policy FILE…] [--scp FILE…] --action A [--resource ARN]
      [--context KEY=TYPE:VALUE…] [--principal ARN] [--resource-account ID]
      [--format text|json]
  iamq policy simulate --policy FILE… [other policy flags] --batch FILE|-

Evaluates a request against the policies the way AWS does and explains the
decision. TYPE is string, numeric, boolean, date, ip or binary (base64); a
value without a known TYPE: prefix is a string; repeat a KEY to give it
several values. --principal defaults to a user of account 123456789012; its
kind (user, role session, federated user, root, service) follows from the
ARN; a role ARN is simulated as a session of the role.

--batch reads one JSON request per line and writes one JSON decision per line:
  in:  {"id": "1", "action": "mq:DescribeBroker", "resource": "arn:…",
        "principal": "arn:aws:iam::123456789012:user/alice",
        "resourceAccount": "", "context": [{"key": "aws:SourceIp",
        "type": "ip", "values": ["203.0.113.7"]}], "want": "allowed"}
  out: {"id": "1", "decision": "allowed", "ok": true, "statements": […], …}
"want" is optional; when a decision differs from it, the command exits 1.
`

const defaultPrincipal = "arn:aws:iam::123456789012:user/simulated"

// multiFlag is a repeatable string flag.
type multiFlag []string

func (f *multiFlag) String() string     { return strings.Join(*f, ",") }
func (f *multiFlag) Set(s string) error { *f = append(*f, s); return nil }

type simulateFlags struct {
	policies, sessions, scps, context multiFlag
	boundary, resourcePolicy          string
	action, resource, principal       string
	resourceAccount, format, batch    string
}

// runPolicySimulate runs 'iamq policy simulate'.
func (m *Main) runPolicySimulate(ctx context.Context, args []string) error {
	var sf simulateFlags
	fs := flag.NewFlagSet("iamq policy simulate", flag.ContinueOnError)
	fs.Var(&sf.policies, "policy", "identity policy `FILE` (repeatable)")
	fs.Var(&sf.sessions, "session-policy", "session policy `FILE` (repeatable)")
	fs.Var(&sf.scps, "scp", "service control policy `FILE` (repeatable)")
	fs.Var(&sf.context, "context", "context value `KEY=TYPE:VALUE` (repeatable)")
	fs.StringVar(&sf.boundary, "boundary", "", "permissions boundary `FILE`")
	fs.StringVar(&sf.resourcePolicy, "resource-policy", "", "resource-based or trust policy `FILE`")
	fs.StringVar(&sf.action, "action", "", "the action, service:Action")
	fs.StringVar(&sf.resource, "resource", "*", "the resource `ARN`")
	fs.StringVar(&sf.principal, "principal", defaultPrincipal, "the principal's `ARN`")
	fs.StringVar(&sf.resourceAccount, "resource-account", "", "the account that owns the resource (default: the principal's)")
	fs.StringVar(&sf.format, "format", "text", "output format: text or json")
	fs.StringVar(&sf.batch, "batch", "", "read JSON requests, one per line, from `FILE` (- for stdin)")
	if err := m.parseFlags(fs, args, simulateUsage); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return usagef("iamq policy simulate: unexpected argument %q: policies are given with --policy FILE", fs.Arg(0))
	case sf.batch == "" && sf.action == "":
		return usagef("iamq policy simulate: say which --action to simulate (service:Action, e.g. mq:DescribeBroker), or give --batch FILE")
	case sf.format != "text" && sf.format != "json":
		return usagef("iamq policy simulate: unknown --format %q (want text or json)", sf.format)
	}
	if sf.batch == "" {
		if err := m.checkAction(sf.action); err != nil {
			return err
		}
	}
	set, err := m.compileSimulated(&sf)
	if err != nil {
		return err
	}
	if sf.batch != "" {
		return m.simulateBatch(ctx, set, sf.batch)
	}
	req, err := simulatedRequest(sf.principal, sf.action, sf.resource, sf.resourceAccount)
	if err != nil {
		return err
	}
	for _, kv := range sf.context {
		key, tv, ok := strings.Cut(kv, "=")
		if !ok || key == "" {
			return usagef("iamq policy simulate: --context %q is not KEY=TYPE:VALUE (e.g. aws:SourceIp=ip:203.0.113.7)", kv)
		}
		typ, text := contextType(tv)
		v, err := eval.ParseValue(typ, text)
		if err != nil {
			return fmt.Errorf("--context %s: %w", key, err)
		}
		req.Context.Add(key, v)
	}
	e := set.Explain(req)
	if sf.format == "json" {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(explanationJSON(e))
	}
	writeExplanation(m.Stdout, e)
	return nil
}

// checkAction refuses an action without a service prefix (AWS would never
// match it: the decision would be a silent implicit deny) and warns about
// one the service authorization catalog does not know, which is most often
// a typo.
func (m *Main) checkAction(action string) error {
	if err := actionShape(action); err != nil {
		return usagef("iamq policy simulate: --action %s", err)
	}
	prefix, _, _ := strings.Cut(action, ":")
	cat := catalog.Embedded()
	if _, ok := cat.Service(prefix); !ok {
		fmt.Fprintf(m.Stderr, "iamq policy simulate: warning: the service catalog has no service %q: is --action %s a typo? ('iamq catalog expand %s:*' lists a service's actions)\n", prefix, action, prefix)
	} else if _, ok := cat.Action(action); !ok {
		fmt.Fprintf(m.Stderr, "iamq policy simulate: warning: %s is not an action of the service catalog: is it a typo? ('iamq catalog show %s' lists them)\n", action, prefix)
	}
	return nil
}

// actionShape checks that an action is service:Action, without wildcards.
func actionShape(action string) error {
	prefix, name, ok := strings.Cut(action, ":")
	switch {
	case !ok || prefix == "" || name == "":
		return fmt.Errorf("%q has no service prefix: write service:Action, e.g. s3:GetObject", action)
	case strings.ContainsAny(action, "*?"):
		return fmt.Errorf("%q is a pattern: a request names one action ('iamq catalog expand' lists what a pattern matches)", action)
	}
	return nil
}

// contextType splits TYPE:VALUE; a value without a known type is a string.
func contextType(tv string) (typ, text string) {
	if t, v, ok := strings.Cut(tv, ":"); ok {
		switch strings.TrimSuffix(t, "List") {
		case "string", "numeric", "boolean", "date", "ip", "binary":
			return t, v
		}
	}
	return "string", tv
}

func (m *Main) compileSimulated(sf *simulateFlags) (*eval.Set, error) {
	var ps eval.Policies
	load := func(dst *[]eval.Policy, names ...string) error {
		for _, name := range names {
			if name == "" {
				continue
			}
			doc, err := readPolicyFile(name)
			if err != nil {
				return err
			}
			*dst = append(*dst, eval.Policy{ID: name, Document: doc})
		}
		return nil
	}
	for _, err := range []error{
		load(&ps.Identity, sf.policies...), load(&ps.Boundary, sf.boundary), load(&ps.Resource, sf.resourcePolicy),
		load(&ps.Session, sf.sessions...), load(&ps.SCP, sf.scps...),
	} {
		if err != nil {
			return nil, err
		}
	}
	return eval.Compile(ps)
}

func readPolicyFile(name string) (*policy.Document, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := policy.ParseReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return doc, nil
}

// simulatedRequest builds a request, deriving the principal's kind, account
// and underlying identity from its ARN.
func simulatedRequest(principal, action, resource, resourceAccount string) (*eval.Request, error) {
	p, err := principalFromARN(principal)
	if err != nil {
		return nil, err
	}
	if resource == "" {
		resource = "*"
	}
	return &eval.Request{Principal: p, Action: action, Resource: resource, ResourceAccount: resourceAccount, Context: &eval.Context{}}, nil
}

func principalFromARN(s string) (eval.Principal, error) {
	if !strings.HasPrefix(s, arn.Prefix) {
		if strings.HasSuffix(s, ".amazonaws.com") {
			return eval.Principal{Kind: eval.PrincipalService, ARN: s}, nil
		}
		return eval.Principal{}, usagef("--principal %q is neither an ARN nor a service principal: give a user, role or root ARN (e.g. arn:aws:iam::123456789012:user/bob) or a service such as mq.amazonaws.com", s)
	}
	a, err := policy.ParseARN(s)
	if err != nil {
		return eval.Principal{}, usagef("--principal %q: %v", s, err)
	}
	// The derived ARNs keep the partition of the one given.
	inPartition := func(b arn.ARN) string { b.Partition = a.Partition; return b.String() }
	p := eval.Principal{ARN: s, Account: a.Account}
	switch {
	case a.Service == "iam" && a.Resource == "root":
		p.Kind = eval.PrincipalRoot
	case a.Service == "iam" && strings.HasPrefix(a.Resource, "user/"):
		p.Kind = eval.PrincipalUser
	case a.Service == "sts" && strings.HasPrefix(a.Resource, "assumed-role/"):
		p.Kind = eval.PrincipalRoleSession
		role, _, _ := strings.Cut(strings.TrimPrefix(a.Resource, "assumed-role/"), "/")
		p.IdentityARN = inPartition(arn.Role(a.Account, "/", role))
	case a.Service == "iam" && strings.HasPrefix(a.Resource, "role/"):
		// A role acts through a session: simulate one.
		name := arn.FriendlyName(a.Resource)
		p.Kind, p.IdentityARN = eval.PrincipalRoleSession, s
		p.ARN = inPartition(arn.AssumedRole(a.Account, name, "iamq-simulate"))
	case a.Service == "sts" && strings.HasPrefix(a.Resource, "federated-user/"):
		p.Kind = eval.PrincipalFederatedUser
	case a.Service == "iam" && strings.HasPrefix(a.Resource, "saml-provider/"), a.Service == "iam" && strings.HasPrefix(a.Resource, "oidc-provider/"):
		p.Kind, p.Account = eval.PrincipalWebIdentity, ""
	default:
		return eval.Principal{}, usagef("--principal %q names no user, role, role session, federated user or root (e.g. arn:aws:iam::123456789012:user/bob)", s)
	}
	return p, nil
}

// batchRequest is one line of --batch input.
type batchRequest struct {
	ID              string         `json:"id"`
	Principal       string         `json:"principal"`
	Action          string         `json:"action"`
	Resource        string         `json:"resource"`
	ResourceAccount string         `json:"resourceAccount"`
	Context         []batchContext `json:"context"`
	Want            string         `json:"want"`
}

type batchContext struct {
	Key    string   `json:"key"`
	Type   string   `json:"type"`
	Values []string `json:"values"`
}

// batchResult is one line of --batch output.
type batchResult struct {
	ID string `json:"id,omitempty"`
	OK bool   `json:"ok"`
	*explanation
	Error string `json:"error,omitempty"`
}

func (m *Main) simulateBatch(ctx context.Context, set *eval.Set, name string) error {
	var in io.Reader = m.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 4<<20)
	enc := json.NewEncoder(m.Stdout)
	failed := false
	for line := 1; sc.Scan(); line++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		res := simulateLine(set, text, line)
		failed = failed || !res.OK
		if err := enc.Encode(res); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if failed {
		return exitStatus(1)
	}
	return nil
}

func simulateLine(set *eval.Set, text string, line int) batchResult {
	var br batchRequest
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&br); err != nil {
		return batchResult{ID: br.ID, Error: fmt.Sprintf("line %d: %v", line, err)}
	}
	if br.Principal == "" {
		br.Principal = defaultPrincipal
	}
	req, err := simulatedRequest(br.Principal, br.Action, br.Resource, br.ResourceAccount)
	if err == nil && br.Action == "" {
		err = errors.New("no action")
	}
	if err == nil {
		err = actionShape(br.Action)
	}
	for _, c := range br.Context {
		for _, s := range c.Values {
			v, perr := eval.ParseValue(c.Type, s)
			if perr != nil && err == nil {
				err = fmt.Errorf("context %s: %w", c.Key, perr)
			}
			if err == nil {
				req.Context.Add(c.Key, v)
			}
		}
		if err == nil && len(c.Values) == 0 {
			req.Context.Add(c.Key)
		}
	}
	if err != nil {
		return batchResult{ID: br.ID, Error: fmt.Sprintf("line %d: %v", line, err)}
	}
	e := explanationJSON(set.Explain(req))
	ok := br.Want == "" || br.Want == e.Decision
	return batchResult{ID: br.ID, OK: ok, explanation: e}
}

// explanation is the JSON form of an eval.Explanation.
type explanation struct {
	Decision           string           `json:"decision"`
	Statements         []statementJSON  `json:"statements"`
	Lacking            []policy.Kind    `json:"lacking,omitempty"`
	MissingContextKeys []string         `json:"missingContextKeys,omitempty"`
	Diagnostics        []diagnosticJSON `json:"diagnostics,omitempty"`
}

type statementJSON struct {
	Kind    policy.Kind   `json:"kind"`
	Policy  string        `json:"policy"`
	Version string        `json:"version,omitempty"`
	Sid     string        `json:"sid,omitempty"`
	Index   int           `json:"index"`
	Effect  policy.Effect `json:"effect"`
	Start   positionJSON  `json:"start"`
	End     positionJSON  `json:"end"`
}

type positionJSON struct {
	Offset int `json:"offset"`
	Line   int `json:"line"`
	Column int `json:"column"`
}

func jsonPos(p policy.Position) positionJSON { return positionJSON{p.Offset, p.Line, p.Column} }

type diagnosticJSON struct {
	Kind    policy.Kind  `json:"kind"`
	Policy  string       `json:"policy"`
	Index   int          `json:"index"`
	Pos     positionJSON `json:"position"`
	Message string       `json:"message"`
}

func explanationJSON(e *eval.Explanation) *explanation {
	out := &explanation{Decision: e.Decision.String(), Statements: []statementJSON{}, Lacking: e.Lacking, MissingContextKeys: e.MissingContextKeys}
	for _, m := range e.Statements {
		out.Statements = append(out.Statements, statementJSON{Kind: m.Kind, Policy: m.PolicyID, Version: m.PolicyVersion,
			Sid: m.Sid, Index: m.Index, Effect: m.Effect, Start: jsonPos(m.Start), End: jsonPos(m.End)})
	}
	for _, d := range e.Diagnostics {
		out.Diagnostics = append(out.Diagnostics, diagnosticJSON{Kind: d.Kind, Policy: d.PolicyID, Index: d.Index, Pos: jsonPos(d.Pos), Message: d.Message})
	}
	return out
}

// writeExplanation prints an explanation for people.
func writeExplanation(w io.Writer, e *eval.Explanation) {
	fmt.Fprintf(w, "decision: %s\n", e.Decision)
	if len(e.Statements) > 0 {
		fmt.Fprintln(w, "statements:")
		for _, m := range e.Statements {
			name := fmt.Sprintf("statement %d", m.Index)
			if m.Sid != "" {
				name = fmt.Sprintf("%s (Sid %q)", name, m.Sid)
			}
			fmt.Fprintf(w, "  %s: %s of %s policy %s, line %d column %d\n", m.Effect, name, m.Kind, m.PolicyID, m.Start.Line, m.Start.Column)
		}
	}
	if len(e.Lacking) > 0 {
		kinds := make([]string, len(e.Lacking))
		for i, k := range e.Lacking {
			kinds[i] = string(k)
		}
		fmt.Fprintf(w, "no allow in: %s\n", strings.Join(kinds, ", "))
	}
	if len(e.MissingContextKeys) > 0 {
		fmt.Fprintf(w, "missing context keys: %s\n", strings.Join(e.MissingContextKeys, ", "))
	}
	for _, d := range e.Diagnostics {
		fmt.Fprintf(w, "warning: %s policy %s, statement %d, line %d: %s\n", d.Kind, d.PolicyID, d.Index, d.Pos.Line, d.Message)
	}
}
