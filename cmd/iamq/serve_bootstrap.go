package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/store"
)

// devAccountID is dev mode's default account, the id AWS's documentation
// uses in examples (and other local AWS endpoints default to).
const devAccountID = "123456789012"

// profileName is the shared-credentials profile iamq writes.
const profileName = "iamq"

// rootKey is an account root's access key as the credentials file holds it.
type rootKey struct {
	ID, Secret string
}

// errAccountDiffers reports a --account-id other than the default account
// of a store that has one: most often a typo or the wrong data directory,
// which must not silently make a second default account.
var errAccountDiffers = errors.New("differs from the store's default account")

// defaultAccount picks and creates when missing the default account: the one
// asked for, dev mode's 123456789012, the oldest existing one, or a new random
// id. An asked account other than an existing store's default account is
// [errAccountDiffers] unless newAccount says it is meant.
func defaultAccount(ctx context.Context, st store.Store, asked string, dev, newAccount bool) (id string, created bool, err error) {
	explicit := asked != ""
	if asked == "" && dev {
		asked = devAccountID
	}
	oldest, err := oldestAccount(ctx, st)
	switch {
	case errors.Is(err, errNoAccounts):
	case err != nil:
		return "", false, err
	case asked == "":
		return oldest, false, nil
	case explicit && asked != oldest && !newAccount:
		return oldest, false, errAccountDiffers
	}
	a, err := iam.CreateAccount(ctx, st, asked, "default")
	if errors.Is(err, store.ErrAlreadyExists) {
		return asked, false, nil
	}
	return a.ID, err == nil, err
}

// ensureRootKey makes sure the account root has the key `want` (from the
// command line or an existing credentials file), recreating it with the same
// id and secret when the store has lost it (dev mode's reset). When want is
// empty it returns the root's first active key, which another node sharing
// the store may have made, or creates one. It returns the key and whether the credentials
// file must be (re)written.
func ensureRootKey(ctx context.Context, st store.Store, account string, want rootKey) (rootKey, error) {
	if want.ID != "" {
		k, err := st.AccessKey(ctx, want.ID)
		switch {
		case err == nil && k.AccountID == account && k.Owner.Kind == store.KindAccount && k.Secret == want.Secret:
			return want, nil
		case err == nil:
			return rootKey{}, fmt.Errorf("access key %s exists but is not account %s's root key with that secret", want.ID, account)
		case !errors.Is(err, store.ErrNotFound):
			return rootKey{}, err
		}
	}
	var out rootKey
	root := store.EntityRef{Kind: store.KindAccount}
	err := st.Update(ctx, account, func(tx store.Tx) error {
		if want.ID == "" {
			// Another node on the same store (or this one, before its
			// credentials file was lost) made the root's key: share it,
			// rather than fill the root's two key slots node by node.
			keys, err := tx.AccessKeys(root)
			if err != nil {
				return err
			}
			for _, k := range keys {
				if k.Status == store.KeyActive {
					out.ID = k.ID
					return nil
				}
			}
		}
		k, err := tx.CreateAccessKey(store.AccessKey{ID: want.ID, Secret: want.Secret, Owner: root})
		out = rootKey{ID: k.ID, Secret: k.Secret}
		return err
	})
	if err == nil && out.Secret == "" {
		var k store.AccessKey
		if k, err = st.AccessKey(ctx, out.ID); err == nil {
			out.Secret = k.Secret
		}
	}
	return out, err
}

// writeCredentials writes an AWS shared-credentials file, mode 0600, with
// one profile.
func writeCredentials(path, profile string, k rootKey, account, region string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(formatCredentials(profile, k, account, region)), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// formatCredentials is the file writeCredentials writes. The region line is
// read by the AWS CLI (botocore merges the credentials file into the
// profile), so that no config file is needed.
func formatCredentials(profile string, k rootKey, account, region string) string {
	return fmt.Sprintf("# The root access key of iamq account %s, written by iamq.\n[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\nregion = %s\n",
		account, profile, k.ID, k.Secret, region)
}

// readCredentials reads a profile's key from a shared-credentials file; a
// missing file is not an error (the zero key).
func readCredentials(path, profile string) (rootKey, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return rootKey{}, nil
	}
	if err != nil {
		return rootKey{}, err
	}
	defer f.Close()
	k, err := parseCredentials(f, profile)
	if err != nil {
		return rootKey{}, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// parseCredentials reads a profile's key from shared-credentials INI text.
func parseCredentials(r io.Reader, profile string) (rootKey, error) {
	var k rootKey
	in := false
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			in = line == "["+profile+"]"
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		if !in || !ok {
			continue
		}
		switch strings.TrimSpace(name) {
		case "aws_access_key_id":
			k.ID = strings.TrimSpace(value)
		case "aws_secret_access_key":
			k.Secret = strings.TrimSpace(value)
		}
	}
	if err := sc.Err(); err != nil {
		return rootKey{}, err
	}
	if (k.ID == "") != (k.Secret == "") {
		return rootKey{}, fmt.Errorf("profile %s has only half a key", profile)
	}
	return k, nil
}

// bootstrap brings the store to the freshly started state: the default
// account exists and its root has the key of the credentials file (or of the
// flags), which is written when it changed. It runs at start and after dev
// mode's reset.
func bootstrap(ctx context.Context, st store.Store, cfg *serveConfig) (account string, key rootKey, err error) {
	account, _, err = defaultAccount(ctx, st, cfg.accountID, cfg.dev, cfg.newAccount)
	if errors.Is(err, errAccountDiffers) {
		return "", rootKey{}, fmt.Errorf("--account-id %s: %s already has the default account %s; leave out --account-id (IAMQ_ACCOUNT_ID) to serve it, or add --new-account to make %s this run's default account (its root key then replaces the credentials file's)",
			cfg.accountID, cfg.storeName(), account, cfg.accountID)
	}
	if err != nil {
		return "", rootKey{}, fmt.Errorf("default account: %w", err)
	}
	want := rootKey{ID: cfg.rootKeyID, Secret: cfg.rootSecret}
	fromFile := false
	if want.ID == "" {
		if want, err = readCredentials(cfg.credentialsPath(), profileName); err != nil {
			return "", rootKey{}, err
		}
		fromFile = want.ID != ""
	}
	key, err = ensureRootKey(ctx, st, account, want)
	if err != nil && fromFile {
		// The file belongs to another store (or account): start afresh.
		key, err = ensureRootKey(ctx, st, account, rootKey{})
	}
	if err != nil {
		return "", rootKey{}, fmt.Errorf("root access key of account %s: %w", account, err)
	}
	if !fromFile || key != want {
		if err := writeCredentials(cfg.credentialsPath(), profileName, key, account, cfg.region); err != nil {
			return "", rootKey{}, fmt.Errorf("writing the credentials file: %w", err)
		}
	}
	return account, key, nil
}

// errNoAccounts reports a store that holds no account yet.
var errNoAccounts = errors.New("no accounts")

// existingAccount resolves the account a command that must not create one
// names: asked, which must exist, or the store's default account (the
// oldest). where names the store for the messages.
func existingAccount(ctx context.Context, st store.Store, where, asked string) (string, error) {
	if asked != "" {
		_, err := st.Account(ctx, asked)
		if errors.Is(err, store.ErrNotFound) {
			return "", fmt.Errorf("account %s does not exist in %s: 'iamq admin account list' lists the accounts, 'iamq admin account create --account-id %s' creates it", asked, where, asked)
		}
		return asked, err
	}
	id, err := oldestAccount(ctx, st)
	if errors.Is(err, errNoAccounts) {
		return "", fmt.Errorf("%w in %s: start 'iamq serve' on it once, or create one with 'iamq admin account create'", err, where)
	}
	return id, err
}

// oldestAccount is the store's default account: the oldest.
func oldestAccount(ctx context.Context, st store.Store) (string, error) {
	accounts, err := st.Accounts(ctx)
	if err != nil {
		return "", err
	}
	if len(accounts) == 0 {
		return "", errNoAccounts
	}
	return slices.MinFunc(accounts, func(a, b store.Account) int { return a.Created.Compare(b.Created) }).ID, nil
}
