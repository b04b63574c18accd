package audit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/store"
)

// This file is what policy generation reads from the log — the calls of
// one principal — for both of its front ends, 'iamq policy generate' and
// Access Analyzer's StartPolicyGeneration, and keeps the latter's jobs.

// ErrPrincipal is returned for a principal that is not the ARN of a user,
// a role or an assumed-role session.
var ErrPrincipal = errors.New("audit: not the ARN of a user, a role or an assumed-role session")

// PrincipalQuery is the search of the log for principal's calls in
// [since, until) (a zero until: no bound): a user's whatever its path, a
// role's through every session of it, or one assumed-role session's. It
// reads the newest store.MaxAuditLimit records.
func PrincipalQuery(principal string, since, until time.Time) (store.AuditQuery, error) {
	q := store.AuditQuery{Limit: store.MaxAuditLimit, Since: since, Until: until}
	a, err := arn.Parse(principal)
	if err != nil {
		return q, fmt.Errorf("%w: %q", ErrPrincipal, principal)
	}
	typ, _, _ := strings.Cut(a.Resource, "/")
	switch {
	case a.Service == "sts" && typ == arn.TypeAssumedRole:
		q.Principal = principal
	case a.Service == "iam" && (typ == arn.TypeUser || typ == arn.TypeRole):
		q.Principal = Entity(principal)
	default:
		return q, fmt.Errorf("%w: %q", ErrPrincipal, principal)
	}
	q.Account = a.Account
	return q, nil
}

// PrincipalCalls reads from st the calls of principal in [since, until)
// that a policy decided (allowed, denied, or let through by soft
// enforcement), oldest first: what a least-privilege policy must allow.
// complete is false when the log held more records than one search reads
// (store.MaxAuditLimit): only the newest were read.
func PrincipalCalls(ctx context.Context, st store.Store, principal string, since, until time.Time) (calls []Call, complete bool, err error) {
	q, err := PrincipalQuery(principal, since, until)
	if err != nil {
		return nil, false, err
	}
	recs, err := st.AuditRecords(ctx, q)
	if err != nil {
		return nil, false, err
	}
	calls, err = Calls(recs)
	return calls, len(recs) < q.Limit, err
}

// PrincipalCalls is the package's PrincipalCalls over the log's store,
// after writing every record taken so far.
func (l *Log) PrincipalCalls(ctx context.Context, principal string, since, until time.Time) ([]Call, bool, error) {
	if l.o.Store == nil {
		return nil, true, nil
	}
	if err := l.Flush(ctx); err != nil {
		return nil, false, err
	}
	return PrincipalCalls(ctx, l.o.Store, principal, since, until)
}

// Generation is one policy generation job of Access Analyzer
// (StartPolicyGeneration), made from the log: its id, the account that
// asked, the principal, the client token, the calls' time range, the
// trails named (kept to be reported back, as the log stands in for them),
// its state and its result.
type Generation struct {
	Account     string          `json:"-"`
	ID          string          `json:"-"`
	Principal   string          `json:"-"`
	ClientToken string          `json:"-"`
	Started     time.Time       `json:"-"`
	Since       time.Time       `json:"since"`
	Until       time.Time       `json:"until"`
	Trails      json.RawMessage `json:"trails,omitempty"`
	Status      string          `json:"status"` // IN_PROGRESS, SUCCEEDED, FAILED, CANCELED
	Completed   time.Time       `json:"completed,omitzero"`
	Policies    []string        `json:"policies,omitempty"`
	// Complete is Access Analyzer's isComplete: the policies allow every
	// logged call (proven), and the log was read whole.
	Complete     bool   `json:"complete"`
	ErrorCode    string `json:"errorCode,omitempty"`
	ErrorMessage string `json:"errorMessage,omitempty"`
}

// Errors of the jobs.
var (
	ErrNoGeneration     = errors.New("audit: no such policy generation job")
	ErrGenerationExists = errors.New("audit: the policy generation job exists")
)

// SaveGeneration stores g: a new job (create; ErrGenerationExists when
// its id or client token is taken) or a job's new state.
func (l *Log) SaveGeneration(ctx context.Context, g Generation, create bool) error {
	if l.o.Store == nil {
		return fmt.Errorf("%w: the decision log keeps no store", ErrNoGeneration)
	}
	data, err := json.Marshal(&g)
	if err != nil {
		return err
	}
	err = l.o.Store.PutPolicyGeneration(ctx, store.PolicyGeneration{Account: g.Account, ID: g.ID, Principal: g.Principal,
		ClientToken: g.ClientToken, Started: g.Started, Data: data}, create)
	return generationError(err)
}

// Generation returns the account's job with the id, or (id "") the one
// made with the client token: ErrNoGeneration when there is none.
func (l *Log) Generation(ctx context.Context, account, id, clientToken string) (Generation, error) {
	if l.o.Store == nil {
		return Generation{}, ErrNoGeneration
	}
	sg, err := l.o.Store.PolicyGeneration(ctx, account, id, clientToken)
	if err != nil {
		return Generation{}, generationError(err)
	}
	return fromStored(sg)
}

// Generations lists the account's jobs, of one principal unless it is "",
// newest first.
func (l *Log) Generations(ctx context.Context, account, principal string) ([]Generation, error) {
	if l.o.Store == nil {
		return nil, nil
	}
	list, err := l.o.Store.PolicyGenerations(ctx, account, principal)
	if err != nil {
		return nil, err
	}
	out := make([]Generation, 0, len(list))
	for _, sg := range list {
		g, err := fromStored(sg)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

func fromStored(sg store.PolicyGeneration) (Generation, error) {
	var g Generation
	if err := json.Unmarshal(sg.Data, &g); err != nil {
		return Generation{}, fmt.Errorf("audit: policy generation %s: %w", sg.ID, err)
	}
	g.Account, g.ID, g.Principal, g.ClientToken, g.Started = sg.Account, sg.ID, sg.Principal, sg.ClientToken, sg.Started
	return g, nil
}

// generationError turns the store's errors into the package's.
func generationError(err error) error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("%w (%v)", ErrNoGeneration, err)
	case errors.Is(err, store.ErrAlreadyExists):
		return fmt.Errorf("%w (%v)", ErrGenerationExists, err)
	}
	return err
}
