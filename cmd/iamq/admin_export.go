package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/store"
)

const adminExportUsage = `Usage:
  iamq admin export [--account-id ID] [-o FILE] [store flags]
      write the account (default: the default account) as
      GetAccountAuthorizationDetails JSON, documents as JSON objects
  iamq admin import [--account-id ID] [store flags] FILE
      apply such a file (or the output of 'aws iam
      get-account-authorization-details'; FILE - is standard input) to the
      account, in one transaction: nothing changes if anything is refused

The account must exist ('iamq admin account list'); only import into an
empty store (a restore) creates the data directory and the account.
`

// adminAccountFlags parses the flags of 'iamq admin export' and 'import'.
func (m *Main) adminAccountFlags(name string, args []string, extra func(*flag.FlagSet)) (*serveConfig, *flag.FlagSet, error) {
	cfg := &serveConfig{}
	fs := flag.NewFlagSet("iamq admin "+name, flag.ContinueOnError)
	storeFlags(fs, cfg, m.Getenv)
	fs.StringVar(&cfg.accountID, "account-id", "", "the account (default: the default account, the oldest)")
	if extra != nil {
		extra(fs)
	}
	if err := m.parseFlags(fs, args, adminExportUsage); err != nil {
		return nil, nil, err
	}
	return cfg, fs, nil
}

// openIAM opens the store the flags name and the IAM service over it, and
// resolves the account: --account-id must name an existing one, and the
// default is the store's default account. A typo must not create anything,
// so export needs an existing store; import (a restore) may create the
// store, and the account when the store holds none.
func (m *Main) openIAM(ctx context.Context, cfg *serveConfig, restore bool) (store.Store, *iam.Service, string, error) {
	log := slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	open := openExistingStore
	if restore {
		open = openStore
	}
	st, where, err := open(ctx, cfg, log)
	if err != nil {
		return nil, nil, "", err
	}
	var account string
	if _, err = oldestAccount(ctx, st); restore && errors.Is(err, errNoAccounts) {
		account, _, err = defaultAccount(ctx, st, cfg.accountID, false, false)
	} else {
		account, err = existingAccount(ctx, st, where, cfg.accountID)
	}
	if err != nil {
		st.Close()
		return nil, nil, "", err
	}
	return st, iam.New(st, managed.Builtin(), iam.Options{Logger: log}), account, nil
}

// adminExport runs 'iamq admin export'.
func (m *Main) adminExport(ctx context.Context, args []string) error {
	var out string
	cfg, fs, err := m.adminAccountFlags("export", args, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "o", "", "write to FILE instead of standard output")
	})
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("iamq admin export: unexpected argument %q: write to a file with -o FILE", fs.Arg(0))
	}
	st, svc, account, err := m.openIAM(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	d, err := svc.ExportAccount(ctx, account)
	if err != nil {
		return fmt.Errorf("exporting account %s: %w", account, err)
	}
	w := m.Stdout
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "    ")
	if err := enc.Encode(d); err != nil {
		return err
	}
	if f, ok := w.(*os.File); ok && out != "" {
		return f.Close()
	}
	return nil
}

// adminImport runs 'iamq admin import FILE'.
func (m *Main) adminImport(ctx context.Context, args []string) error {
	cfg, fs, err := m.adminAccountFlags("import", args, nil)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("iamq admin import: name one authorization details FILE (- reads standard input)")
	}
	d, err := m.readDetails(fs.Arg(0))
	if err != nil {
		return err
	}
	st, svc, account, err := m.openIAM(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer st.Close()
	sum, err := svc.ImportAccount(ctx, account, d)
	if err != nil {
		return fmt.Errorf("importing %s into account %s (nothing was changed): %w", fs.Arg(0), account, err)
	}
	fmt.Fprintf(m.Stdout, "imported into account %s: %d users, %d groups, %d roles, %d instance profiles, %d policies, %d inline policies, %d attachments\n",
		account, sum.Users, sum.Groups, sum.Roles, sum.InstanceProfiles, sum.Policies, sum.InlinePolicies, sum.Attachments)
	return nil
}

// readDetails reads an authorization details file ("-" is standard input).
func (m *Main) readDetails(path string) (iam.AuthorizationDetails, error) {
	var r io.Reader = m.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return iam.AuthorizationDetails{}, err
		}
		defer f.Close()
		r = f
	}
	return iam.ReadDetails(r)
}

// seedAccount applies the authorization details file path to account
// (iamq serve --seed) when the account holds no users, groups, roles or
// customer managed policies yet, so that a restart keeps what was changed
// since. It reports whether it applied the file.
func (m *Main) seedAccount(ctx context.Context, svc *iam.Service, account, path string) (bool, error) {
	d, err := m.readDetails(path)
	if err != nil {
		return false, fmt.Errorf("--seed %s: %w", path, err)
	}
	sum, err := svc.GetAccountSummary(ctx, account)
	if err != nil {
		return false, err
	}
	if sum["Users"]+sum["Groups"]+sum["Roles"]+sum["Policies"] > 0 {
		return false, nil
	}
	if _, err := svc.ImportAccount(ctx, account, d); err != nil {
		return false, fmt.Errorf("--seed %s: %w", path, err)
	}
	return true, nil
}

// seed applies 'iamq serve --seed FILE' ("" = none) to the default account
// and logs whether it did.
func (m *Main) seed(ctx context.Context, svc *iam.Service, account, path string, log *slog.Logger) error {
	if path == "" {
		return nil
	}
	applied, err := m.seedAccount(ctx, svc, account, path)
	if err != nil {
		return err
	}
	if applied {
		log.Info("seeded the default account", "file", path, "account", account)
	} else {
		log.Info("not seeding: the default account already holds identities or policies", "file", path, "account", account)
	}
	return nil
}
