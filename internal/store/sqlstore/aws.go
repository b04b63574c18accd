package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/store"
)

// awsLock is the name whose write lock serializes publishers of AWS managed
// policy versions (they belong to no account; the lock only needs a key).
const awsLock = "aws"

// PublishAWSPolicyVersion numbers and stores a new version of an AWS managed
// policy, with its history entry if any, and records a change with no
// account.
func (s *Engine) PublishAWSPolicyVersion(ctx context.Context, p store.AWSPolicyPublish) (store.AWSPolicyVersion, error) {
	if err := checkPublish(p); err != nil {
		return store.AWSPolicyVersion{}, err
	}
	var out store.AWSPolicyVersion
	err := s.write(ctx, awsLock, func(t *sqlTx) error {
		var err error
		out, err = t.publishAWS(p)
		return err
	})
	return out, err
}

// checkPublish bounds a publish before anything is written.
func checkPublish(p store.AWSPolicyPublish) error {
	if a, _ := arn.Split(p.ARN); !arn.IsAWSManaged(p.ARN) || !strings.HasPrefix(a.Resource, arn.TypePolicy+"/") || p.Document == "" ||
		p.Embedded < 0 || p.Number < 0 || p.History != nil && p.Number == 0 {
		return fmt.Errorf("%w: publish %q with %d embedded versions", store.ErrInvalid, p.ARN, p.Embedded)
	}
	if len(p.NewPolicy) > store.MaxHistoryData {
		return fmt.Errorf("%w: publish %q: policy metadata over %d bytes", store.ErrInvalid, p.ARN, store.MaxHistoryData)
	}
	if p.History != nil {
		return checkHistoryEntry(*p.History)
	}
	return nil
}

// publishAWS stores one version (and its history entry) in t.
func (t *sqlTx) publishAWS(p store.AWSPolicyPublish) (store.AWSPolicyVersion, error) {
	var last int
	if err := t.tx.QueryRowContext(t.ctx,
		`SELECT COALESCE(MAX(num), 0) FROM aws_policy_versions WHERE arn = $1`, p.ARN).Scan(&last); err != nil {
		return store.AWSPolicyVersion{}, t.s.dbError(err)
	}
	num := max(last, p.Embedded) + 1
	if p.Number != 0 && p.Number != num {
		return store.AWSPolicyVersion{}, fmt.Errorf("%w: %s: the next version is v%d, not v%d (published meanwhile)",
			store.ErrConflict, p.ARN, num, p.Number)
	}
	now := t.s.now().UTC()
	created := now
	if !p.Created.IsZero() {
		created = p.Created.UTC()
	}
	if p.SetDefault {
		if _, err := t.exec(`UPDATE aws_policy_versions SET is_default = 0 WHERE arn = $1 AND is_default = 1`, p.ARN); err != nil {
			return store.AWSPolicyVersion{}, err
		}
	}
	if _, err := t.exec(`INSERT INTO aws_policy_versions (arn, num, document, created, is_default) VALUES ($1, $2, $3, $4, $5)`,
		p.ARN, num, p.Document, nanos(created), boolInt(p.SetDefault)); err != nil {
		return store.AWSPolicyVersion{}, err
	}
	if p.NewPolicy != "" {
		if _, err := t.exec(`INSERT INTO aws_policies (arn, data) VALUES ($1, $2) ON CONFLICT (arn) DO NOTHING`,
			p.ARN, p.NewPolicy); err != nil {
			return store.AWSPolicyVersion{}, err
		}
	}
	if e := p.History; e != nil {
		if _, err := t.exec(`INSERT INTO policy_history (id, sort_key, service, policy_arn, data, diff, stored)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
			e.ID, e.Key, e.Service, e.PolicyARN, e.Data, e.Diff, nanos(now)); err != nil {
			return store.AWSPolicyVersion{}, err
		}
	}
	// t.acct is the zero Account: the change names no account, so that
	// every node drops every compiled set that might hold the policy.
	t.changed(store.KindAWSPolicy, store.OpCreate, p.ARN)
	return store.AWSPolicyVersion{ARN: p.ARN, ID: "v" + strconv.Itoa(num), Document: p.Document, IsDefault: p.SetDefault,
		Created: fromNanos(nanos(created))}, nil
}

// PublishAWSPolicyVersions stores several publishes in one transaction.
func (s *Engine) PublishAWSPolicyVersions(ctx context.Context, ps []store.AWSPolicyPublish) ([]store.AWSPolicyVersion, error) {
	for _, p := range ps {
		if err := checkPublish(p); err != nil {
			return nil, err
		}
		if p.Number == 0 {
			return nil, fmt.Errorf("%w: publish %s without a Number", store.ErrInvalid, p.ARN)
		}
	}
	if len(ps) == 0 {
		return nil, nil
	}
	var out []store.AWSPolicyVersion
	err := s.write(ctx, awsLock, func(t *sqlTx) error {
		out = out[:0]
		for _, p := range ps {
			v, err := t.publishAWS(p)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AWSPolicyVersions lists every published version, without documents.
func (s *Engine) AWSPolicyVersions(ctx context.Context) ([]store.AWSPolicyVersion, error) {
	rows, err := s.reader.QueryContext(ctx,
		`SELECT v.arn, v.num, v.created, v.is_default, COALESCE(p.data, '') FROM aws_policy_versions v
		LEFT JOIN aws_policies p ON p.arn = v.arn ORDER BY v.arn, v.num`)
	if err != nil {
		return nil, fmt.Errorf("store: aws policy versions: %w", err)
	}
	defer rows.Close()
	var out []store.AWSPolicyVersion
	for rows.Next() {
		var v store.AWSPolicyVersion
		var num, def int
		var created int64
		if err := rows.Scan(&v.ARN, &num, &created, &def, &v.Policy); err != nil {
			return nil, fmt.Errorf("store: aws policy versions: %w", err)
		}
		v.ID, v.Created, v.IsDefault = "v"+strconv.Itoa(num), fromNanos(created), def != 0
		out = append(out, v)
	}
	return out, rows.Err()
}

// AWSPolicyVersion returns one published version with its document.
func (s *Engine) AWSPolicyVersion(ctx context.Context, arn, versionID string) (store.AWSPolicyVersion, error) {
	num, err := strconv.Atoi(strings.TrimPrefix(versionID, "v"))
	if err != nil || !strings.HasPrefix(versionID, "v") {
		return store.AWSPolicyVersion{}, fmt.Errorf("%w: policy %s version %s", store.ErrNotFound, arn, versionID)
	}
	v := store.AWSPolicyVersion{ARN: arn, ID: versionID}
	var created int64
	var def int
	err = s.reader.QueryRowContext(ctx,
		`SELECT document, created, is_default FROM aws_policy_versions WHERE arn = $1 AND num = $2`, arn, num).
		Scan(&v.Document, &created, &def)
	if errors.Is(err, sql.ErrNoRows) {
		return store.AWSPolicyVersion{}, fmt.Errorf("%w: policy %s version %s", store.ErrNotFound, arn, versionID)
	}
	if err != nil {
		return store.AWSPolicyVersion{}, fmt.Errorf("store: aws policy version: %w", err)
	}
	v.Created, v.IsDefault = fromNanos(created), def != 0
	return v, nil
}
