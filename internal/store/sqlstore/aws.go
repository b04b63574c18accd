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
// policy and records a change with no account.
func (s *Engine) PublishAWSPolicyVersion(ctx context.Context, p store.AWSPolicyPublish) (store.AWSPolicyVersion, error) {
	if a, _ := arn.Split(p.ARN); !arn.IsAWSManaged(p.ARN) || !strings.HasPrefix(a.Resource, arn.TypePolicy+"/") || p.Document == "" || p.Embedded < 0 {
		return store.AWSPolicyVersion{}, fmt.Errorf("%w: publish %q with %d embedded versions", store.ErrInvalid, p.ARN, p.Embedded)
	}
	var out store.AWSPolicyVersion
	err := s.write(ctx, awsLock, func(t *sqlTx) error {
		var last int
		if err := t.tx.QueryRowContext(ctx,
			`SELECT COALESCE(MAX(num), 0) FROM aws_policy_versions WHERE arn = $1`, p.ARN).Scan(&last); err != nil {
			return s.dbError(err)
		}
		num := max(last, p.Embedded) + 1
		now := s.now().UTC()
		if p.SetDefault {
			if _, err := t.exec(`UPDATE aws_policy_versions SET is_default = 0 WHERE arn = $1 AND is_default = 1`, p.ARN); err != nil {
				return err
			}
		}
		if _, err := t.exec(`INSERT INTO aws_policy_versions (arn, num, document, created, is_default) VALUES ($1, $2, $3, $4, $5)`,
			p.ARN, num, p.Document, nanos(now), boolInt(p.SetDefault)); err != nil {
			return err
		}
		out = store.AWSPolicyVersion{ARN: p.ARN, ID: "v" + strconv.Itoa(num), Document: p.Document, IsDefault: p.SetDefault,
			Created: fromNanos(nanos(now))}
		// t.acct is the zero Account: the change names no account, so that
		// every node drops every compiled set that might hold the policy.
		t.changed(store.KindAWSPolicy, store.OpCreate, p.ARN)
		return nil
	})
	return out, err
}

// AWSPolicyVersions lists every published version, without documents.
func (s *Engine) AWSPolicyVersions(ctx context.Context) ([]store.AWSPolicyVersion, error) {
	rows, err := s.reader.QueryContext(ctx,
		`SELECT arn, num, created, is_default FROM aws_policy_versions ORDER BY arn, num`)
	if err != nil {
		return nil, fmt.Errorf("store: aws policy versions: %w", err)
	}
	defer rows.Close()
	var out []store.AWSPolicyVersion
	for rows.Next() {
		var v store.AWSPolicyVersion
		var num, def int
		var created int64
		if err := rows.Scan(&v.ARN, &num, &created, &def); err != nil {
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
