package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/iamq/iamq/internal/iam"
)

const adminUsage = `Usage:
  iamq admin account create [--account-id ID] [--name NAME] [store flags]
      create an account and its root access key, written to
      DATA-DIR/credentials-ID as profile iamq-ID
  iamq admin account list [store flags]
  iamq admin export [--account-id ID] [-o FILE] [store flags]
  iamq admin import [--account-id ID] [store flags] FILE
  iamq admin managed publish --policy NAME --document FILE --description TEXT ...
  iamq admin catalog apply [store flags] FILE
      (see 'iamq admin managed -h')

Store flags: --data-dir, --store, --key-file (as for 'iamq serve').
`

// runAdmin runs 'iamq admin'.
func (m *Main) runAdmin(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "export" {
		return m.adminExport(ctx, args[1:])
	}
	if len(args) > 0 && args[0] == "import" {
		return m.adminImport(ctx, args[1:])
	}
	if len(args) > 0 && args[0] == "managed" {
		return m.runAdminManaged(ctx, args[1:])
	}
	if len(args) > 0 && args[0] == "catalog" {
		return m.runAdminCatalog(ctx, args[1:])
	}
	if len(args) > 0 && isHelp(args[0]) || len(args) > 1 && args[0] == "account" && isHelp(args[1]) {
		fmt.Fprint(m.Stdout, adminUsage)
		return nil
	}
	if len(args) < 2 || args[0] != "account" {
		return usagef("iamq admin: which? 'account create', 'account list', 'export' or 'import' (run 'iamq admin -h' for usage)")
	}
	switch args[1] {
	case "create":
		return m.adminAccountCreate(ctx, args[2:])
	case "list":
		return m.adminAccountList(ctx, args[2:])
	}
	return usagef("iamq admin account: unknown subcommand %q: it is create or list (run 'iamq admin -h' for usage)", args[1])
}

func (m *Main) adminAccountCreate(ctx context.Context, args []string) error {
	cfg := &serveConfig{}
	fs := flag.NewFlagSet("iamq admin account create", flag.ContinueOnError)
	storeFlags(fs, cfg, m.Getenv)
	var name string
	fs.StringVar(&cfg.accountID, "account-id", "", "the new account's id (default: 12 random digits)")
	fs.StringVar(&name, "name", "", "a name for operators")
	if err := m.parseFlags(fs, args, adminUsage); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("iamq admin account create: unexpected argument %q: the id is given with --account-id", fs.Arg(0))
	}
	st, _, err := openStore(ctx, cfg, newLogger(m.Stderr, "text", slog.LevelInfo))
	if err != nil {
		return err
	}
	defer st.Close()
	a, err := iam.CreateAccount(ctx, st, cfg.accountID, name)
	if err != nil {
		return fmt.Errorf("creating account %s: %w", cfg.accountID, err)
	}
	id := a.ID
	key, err := ensureRootKey(ctx, st, id, rootKey{})
	if err != nil {
		return err
	}
	path, profile := filepath.Join(cfg.dataDir, "credentials-"+id), profileName+"-"+id
	if err := writeCredentials(path, profile, key, id, cfg.region); err != nil {
		return err
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	fmt.Fprintf(m.Stdout, "created account %s; its root access key is in %s, profile %s:\n", id, path, profile)
	fmt.Fprintf(m.Stdout, "  export AWS_SHARED_CREDENTIALS_FILE=%s AWS_PROFILE=%s\n", path, profile)
	return nil
}

func (m *Main) adminAccountList(ctx context.Context, args []string) error {
	cfg := &serveConfig{}
	fs := flag.NewFlagSet("iamq admin account list", flag.ContinueOnError)
	storeFlags(fs, cfg, m.Getenv)
	if err := m.parseFlags(fs, args, adminUsage); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("iamq admin account list: unexpected argument %q", fs.Arg(0))
	}
	st, _, err := openExistingStore(ctx, cfg, newLogger(m.Stderr, "text", slog.LevelInfo))
	if err != nil {
		return err
	}
	defer st.Close()
	accounts, err := st.Accounts(ctx)
	if err != nil {
		return err
	}
	for _, a := range accounts {
		fmt.Fprintf(m.Stdout, "%s\t%s\t%s\n", a.ID, a.Created.UTC().Format("2006-01-02T15:04:05Z"), a.Name)
	}
	return nil
}
