package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// migrations are the schema's versions, applied in order on open; version
// i+1 is migrations[i]. Never edit one that has shipped: append another.
// The DDL is common to SQLite and PostgreSQL: BIGINT times in UTC
// nanoseconds, INTEGER 0/1 booleans, no NULLs, and {{key}} for the column
// type of case-folded name keys (Dialect.KeyType).
var migrations = []string{
	// 1: the IAM entities, attachments, keys and the change sequence.
	`CREATE TABLE accounts (
		id TEXT PRIMARY KEY,
		name TEXT NOT NULL DEFAULT '',
		created BIGINT NOT NULL,
		quota_user INTEGER NOT NULL DEFAULT 0,
		quota_role INTEGER NOT NULL DEFAULT 0
	);
	CREATE TABLE account_aliases (
		alias TEXT PRIMARY KEY,
		account TEXT NOT NULL
	);
	CREATE TABLE iam_users (
		account TEXT NOT NULL,
		id TEXT NOT NULL UNIQUE,
		name TEXT NOT NULL,
		name_key {{key}} NOT NULL,
		path TEXT NOT NULL,
		created BIGINT NOT NULL,
		boundary TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (account, name_key)
	);
	CREATE INDEX iam_users_boundary ON iam_users (account, boundary);
	CREATE TABLE iam_groups (
		account TEXT NOT NULL,
		id TEXT NOT NULL UNIQUE,
		name TEXT NOT NULL,
		name_key {{key}} NOT NULL,
		path TEXT NOT NULL,
		created BIGINT NOT NULL,
		PRIMARY KEY (account, name_key)
	);
	CREATE TABLE group_members (
		account TEXT NOT NULL,
		group_id TEXT NOT NULL,
		user_id TEXT NOT NULL,
		PRIMARY KEY (group_id, user_id)
	);
	CREATE INDEX group_members_user ON group_members (user_id);
	CREATE TABLE iam_roles (
		account TEXT NOT NULL,
		id TEXT NOT NULL UNIQUE,
		name TEXT NOT NULL,
		name_key {{key}} NOT NULL,
		path TEXT NOT NULL,
		created BIGINT NOT NULL,
		trust TEXT NOT NULL,
		description TEXT NOT NULL DEFAULT '',
		max_session INTEGER NOT NULL DEFAULT 0,
		boundary TEXT NOT NULL DEFAULT '',
		service_linked INTEGER NOT NULL DEFAULT 0,
		last_used BIGINT NOT NULL DEFAULT 0,
		last_region TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (account, name_key)
	);
	CREATE INDEX iam_roles_boundary ON iam_roles (account, boundary);
	CREATE TABLE instance_profiles (
		account TEXT NOT NULL,
		id TEXT NOT NULL UNIQUE,
		name TEXT NOT NULL,
		name_key {{key}} NOT NULL,
		path TEXT NOT NULL,
		created BIGINT NOT NULL,
		PRIMARY KEY (account, name_key)
	);
	CREATE TABLE profile_roles (
		account TEXT NOT NULL,
		profile_id TEXT NOT NULL,
		role_id TEXT NOT NULL,
		PRIMARY KEY (profile_id, role_id)
	);
	CREATE INDEX profile_roles_role ON profile_roles (role_id);
	CREATE TABLE policies (
		account TEXT NOT NULL,
		id TEXT NOT NULL UNIQUE,
		name TEXT NOT NULL,
		name_key {{key}} NOT NULL,
		path TEXT NOT NULL,
		arn TEXT NOT NULL,
		description TEXT NOT NULL DEFAULT '',
		default_version TEXT NOT NULL,
		next_version INTEGER NOT NULL,
		created BIGINT NOT NULL,
		updated BIGINT NOT NULL,
		PRIMARY KEY (account, name_key)
	);
	CREATE TABLE policy_versions (
		policy_id TEXT NOT NULL,
		num INTEGER NOT NULL,
		document TEXT NOT NULL,
		created BIGINT NOT NULL,
		PRIMARY KEY (policy_id, num)
	);
	CREATE TABLE attachments (
		account TEXT NOT NULL,
		entity_kind TEXT NOT NULL,
		entity_id TEXT NOT NULL,
		arn TEXT NOT NULL,
		policy_key {{key}} NOT NULL,
		policy_path TEXT NOT NULL,
		PRIMARY KEY (entity_id, arn)
	);
	CREATE INDEX attachments_arn ON attachments (account, arn);
	CREATE TABLE inline_policies (
		account TEXT NOT NULL,
		entity_id TEXT NOT NULL,
		name TEXT NOT NULL,
		name_key {{key}} NOT NULL,
		document TEXT NOT NULL,
		size INTEGER NOT NULL,
		PRIMARY KEY (entity_id, name_key)
	);
	CREATE TABLE tags (
		account TEXT NOT NULL,
		entity_id TEXT NOT NULL,
		tag_key {{key}} NOT NULL,
		key_text TEXT NOT NULL,
		value TEXT NOT NULL,
		PRIMARY KEY (entity_id, tag_key)
	);
	CREATE TABLE access_keys (
		id TEXT PRIMARY KEY,
		account TEXT NOT NULL,
		owner_kind TEXT NOT NULL,
		owner_id TEXT NOT NULL,
		status TEXT NOT NULL,
		created BIGINT NOT NULL,
		expires BIGINT NOT NULL DEFAULT 0,
		secret BYTEA NOT NULL,
		token BYTEA NOT NULL,
		session BYTEA NOT NULL,
		last_used BIGINT NOT NULL DEFAULT 0,
		last_service TEXT NOT NULL DEFAULT '',
		last_region TEXT NOT NULL DEFAULT ''
	);
	CREATE INDEX access_keys_owner ON access_keys (account, owner_kind, owner_id);
	CREATE INDEX access_keys_expires ON access_keys (expires);
	CREATE TABLE changes (
		seq BIGINT PRIMARY KEY,
		at BIGINT NOT NULL,
		account TEXT NOT NULL,
		kind TEXT NOT NULL,
		op TEXT NOT NULL,
		name TEXT NOT NULL
	);
	CREATE TABLE change_counter (
		id INTEGER PRIMARY KEY,
		seq BIGINT NOT NULL
	);
	INSERT INTO change_counter (id, seq) VALUES (1, 0);`,

	// 2: live counts kept on the policy row, so that a page of policies
	// does not count attachments policy by policy.
	`ALTER TABLE policies ADD COLUMN attach_count INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE policies ADD COLUMN boundary_count INTEGER NOT NULL DEFAULT 0;
	UPDATE policies SET
		attach_count = (SELECT COUNT(*) FROM attachments a WHERE a.account = policies.account AND a.arn = policies.arn),
		boundary_count = (SELECT COUNT(*) FROM iam_users u WHERE u.account = policies.account AND u.boundary = policies.arn) +
			(SELECT COUNT(*) FROM iam_roles r WHERE r.account = policies.account AND r.boundary = policies.arn);
	CREATE INDEX policies_arn ON policies (account, arn);`,

	// 3: versions of AWS managed policies that the service published after
	// the embedded library was built. Global: they belong to the
	// pseudo-account "aws", not to any account.
	`CREATE TABLE aws_policy_versions (
		arn TEXT NOT NULL,
		num INTEGER NOT NULL,
		document TEXT NOT NULL,
		created BIGINT NOT NULL,
		is_default INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (arn, num)
	);`,

	// 4: the deletion tasks of service-linked roles
	// (GetServiceLinkedRoleDeletionStatus), kept with their account.
	`CREATE TABLE slr_deletions (
		account TEXT NOT NULL,
		id TEXT NOT NULL,
		status TEXT NOT NULL,
		reason TEXT NOT NULL DEFAULT '',
		usage TEXT NOT NULL DEFAULT '',
		created BIGINT NOT NULL,
		PRIMARY KEY (account, id)
	);`,

	// 5: the change history of managed policies (package history): global,
	// append-only, listed newest first by sort_key, filtered by service or
	// policy. data is the entry without its diff, which lists skip.
	`CREATE TABLE policy_history (
		id TEXT PRIMARY KEY,
		sort_key {{key}} NOT NULL UNIQUE,
		service TEXT NOT NULL,
		policy_arn TEXT NOT NULL,
		data TEXT NOT NULL,
		diff TEXT NOT NULL,
		stored BIGINT NOT NULL
	);
	CREATE INDEX policy_history_service ON policy_history (service, sort_key);
	CREATE INDEX policy_history_policy ON policy_history (policy_arn, sort_key);`,
	// 6: the Amazon MQ control plane's records (brokers, configurations
	// and their revisions, broker users), each a JSON document of package
	// mq under its key; expires > 0 marks a record that is gone then.
	`CREATE TABLE mq_records (
		account TEXT NOT NULL,
		kind TEXT NOT NULL,
		region TEXT NOT NULL,
		parent TEXT NOT NULL,
		id TEXT NOT NULL,
		name TEXT NOT NULL DEFAULT '',
		created BIGINT NOT NULL,
		expires BIGINT NOT NULL DEFAULT 0,
		document TEXT NOT NULL,
		PRIMARY KEY (account, kind, parent, region, id)
	);
	CREATE INDEX mq_records_name ON mq_records (account, kind, region, name);`,
	// 7: identity providers (OIDC and SAML) of federation; what IAM keeps
	// of each (client ids, thumbprints, metadata, tags) is one JSON value.
	`CREATE TABLE identity_providers (
		account TEXT NOT NULL,
		kind TEXT NOT NULL,
		name TEXT NOT NULL,
		created BIGINT NOT NULL,
		data TEXT NOT NULL,
		PRIMARY KEY (account, kind, name)
	);`,
	// 8: the service catalog updates applied to the live catalog (package
	// managed), in order; id is the file's SHA-256, so applying one twice
	// stores it once.
	`CREATE TABLE catalog_updates (
		seq INTEGER PRIMARY KEY,
		id TEXT NOT NULL UNIQUE,
		data BYTEA NOT NULL,
		description TEXT NOT NULL,
		applied BIGINT NOT NULL
	);`,
	// 9: the decision log (internal/audit). Every call makes a record, so
	// records are stored by the batch the log writes (one row per batch,
	// its records in the packed form of audit.go), and what last-accessed
	// data and policy generation search is summed up per entity and action
	// in audit_access: SQLite's cost is paid per batch, not per call.
	`CREATE TABLE audit_batches (
		id TEXT PRIMARY KEY,
		first_at BIGINT NOT NULL,
		last_at BIGINT NOT NULL,
		records TEXT NOT NULL
	);
	CREATE INDEX audit_batches_last ON audit_batches (last_at);
	CREATE TABLE audit_access (
		account TEXT NOT NULL,
		entity TEXT NOT NULL,
		action TEXT NOT NULL,
		service TEXT NOT NULL,
		region TEXT NOT NULL,
		last_at BIGINT NOT NULL,
		calls BIGINT NOT NULL,
		PRIMARY KEY (account, entity, action)
	);
	CREATE INDEX audit_access_last ON audit_access (last_at);`,
	// 10: AWS managed policies the embedded library lacks, added by a sync
	// of AWS's snapshot (package managed): their metadata, as JSON.
	`CREATE TABLE aws_policies (
		arn TEXT PRIMARY KEY,
		data TEXT NOT NULL
	);`,
	// 11: console passwords (login profiles, as slow hashes), the account
	// password policy and virtual MFA devices (their TOTP seeds sealed).
	`CREATE TABLE login_profiles (
		user_id TEXT PRIMARY KEY,
		account TEXT NOT NULL,
		hash TEXT NOT NULL,
		history TEXT NOT NULL DEFAULT '',
		created BIGINT NOT NULL,
		password_last_changed BIGINT NOT NULL,
		reset_required INTEGER NOT NULL DEFAULT 0
	);
	CREATE INDEX login_profiles_account ON login_profiles (account);
	CREATE TABLE password_policies (
		account TEXT PRIMARY KEY,
		min_length INTEGER NOT NULL,
		symbols INTEGER NOT NULL,
		numbers INTEGER NOT NULL,
		uppercase INTEGER NOT NULL,
		lowercase INTEGER NOT NULL,
		allow_change INTEGER NOT NULL,
		max_age INTEGER NOT NULL,
		reuse INTEGER NOT NULL,
		hard_expiry INTEGER NOT NULL
	);
	CREATE TABLE mfa_devices (
		id TEXT PRIMARY KEY,
		account TEXT NOT NULL,
		serial TEXT NOT NULL UNIQUE,
		name TEXT NOT NULL,
		path TEXT NOT NULL,
		seed BYTEA NOT NULL,
		created BIGINT NOT NULL,
		owner_kind TEXT NOT NULL DEFAULT '',
		owner_id TEXT NOT NULL DEFAULT '',
		enabled BIGINT NOT NULL DEFAULT 0,
		last_step BIGINT NOT NULL DEFAULT 0
	);
	CREATE INDEX mfa_devices_owner ON mfa_devices (account, owner_kind, owner_id);`,
	// 12: users' SSH public keys, signing certificates and service-specific credentials
	// (one table, told apart by kind; secrets sealed), and the account's
	// server certificates (private keys sealed).
	`CREATE TABLE user_credentials (
		id TEXT PRIMARY KEY,
		account TEXT NOT NULL,
		kind TEXT NOT NULL,
		owner_kind TEXT NOT NULL,
		owner_id TEXT NOT NULL,
		status TEXT NOT NULL,
		created BIGINT NOT NULL,
		expires BIGINT NOT NULL DEFAULT 0,
		body TEXT NOT NULL DEFAULT '',
		fingerprint TEXT NOT NULL DEFAULT '',
		service TEXT NOT NULL DEFAULT '',
		service_user TEXT NOT NULL DEFAULT '',
		secret BYTEA NOT NULL
	);
	CREATE INDEX user_credentials_owner ON user_credentials (account, kind, owner_kind, owner_id);
	CREATE TABLE server_certificates (
		account TEXT NOT NULL,
		id TEXT NOT NULL UNIQUE,
		name TEXT NOT NULL,
		name_key {{key}} NOT NULL,
		path TEXT NOT NULL,
		created BIGINT NOT NULL,
		expires BIGINT NOT NULL,
		body TEXT NOT NULL,
		chain TEXT NOT NULL,
		private_key BYTEA NOT NULL,
		PRIMARY KEY (account, name_key)
	);`,
	// 13: the account's settings (package store's AccountSetting): STS preferences and the
	// credential report, by name.
	`CREATE TABLE account_settings (
		account TEXT NOT NULL,
		name TEXT NOT NULL,
		value TEXT NOT NULL,
		PRIMARY KEY (account, name)
	);`,
	// 14: Access Analyzer's policy generation jobs, made from the decision log; the job's state and
	// result are one JSON value (package audit's).
	`CREATE TABLE policy_generations (
		account TEXT NOT NULL,
		id TEXT NOT NULL,
		principal TEXT NOT NULL,
		client_token TEXT NOT NULL,
		started BIGINT NOT NULL,
		data TEXT NOT NULL,
		PRIMARY KEY (account, id)
	);
	CREATE INDEX policy_generations_started ON policy_generations (account, started);`,
}

// migrate applies the migrations not yet applied. Each runs in its own
// write transaction that first checks whether it is applied, so two
// processes that open the store at once apply each exactly once (PostgreSQL
// also holds an advisory lock around the whole run).
func (s *Engine) migrate(ctx context.Context) error {
	conn, err := s.writer.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	defer conn.Close()
	unlock, err := s.d.LockMigrations(ctx, conn)
	if err != nil {
		return fmt.Errorf("store: migrate: lock: %w", err)
	}
	defer unlock()
	if _, err := conn.ExecContext(ctx,
		`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	for i, ddl := range migrations {
		if err := s.applyMigration(ctx, conn, i+1, ddl); err != nil {
			return fmt.Errorf("store: migration %d: %w", i+1, err)
		}
	}
	return nil
}

// applyMigration applies migration version unless it is applied already.
func (s *Engine) applyMigration(ctx context.Context, conn interface {
	BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
}, version int, ddl string) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = $1`, version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	ddl = strings.ReplaceAll(ddl, "{{key}}", s.d.KeyType())
	for _, stmt := range strings.Split(ddl, ";") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%w\n%s", err, stmt)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied) VALUES ($1, $2)`,
		version, s.now().UnixNano()); err != nil {
		return err
	}
	return tx.Commit()
}
