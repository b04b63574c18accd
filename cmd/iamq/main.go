// Command iamq is the one binary of iamq: `serve`, `policy …`, `catalog …` and
// `admin …`. main only wires: it calls [Main.Run] and maps its error to an exit
// code, so that every subcommand is testable without os.Exit. Each subcommand
// lives in its own file.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	err := m.Run(ctx, os.Args[1:])
	os.Exit(exitCode(m.Stderr, err))
}

// Main is the iamq command line. Its zero value is not usable: the streams and
// Getenv must be set (tests give buffers and a map lookup).
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
}

// ErrUsage reports a command line that iamq cannot understand; it exits 2.
var ErrUsage = errors.New("usage")

// exitStatus is an error that carries its own exit code and has already been
// reported (for example "the policy has findings": exit 1, nothing more to say).
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

const usage = `iamq: a self-hosted, AWS-compatible IAM and managed-policy service.

Usage:
  iamq serve [flags]           run the AWS endpoint
  iamq policy validate FILE…   validate policy documents
  iamq policy simulate …       evaluate a request against policies
  iamq policy diff|covers …    compare policies by meaning
  iamq catalog show|expand|diff  the service authorization catalog
  iamq admin …                 accounts, import and export
  iamq history SERVICE|--policy NAME  the changes to AWS managed policies
  iamq log [flags]             the decision log: every call, allowed or denied, and why
  iamq --version               the version and VCS revision of this binary

Run 'iamq COMMAND -h' for a command's flags.
`

// Run runs the subcommand named by args[0].
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage)
		return ErrUsage
	}
	switch args[0] {
	case "serve":
		return m.runServe(ctx, args[1:])
	case "policy":
		return m.runPolicy(ctx, args[1:])
	case "catalog":
		return m.runCatalog(ctx, args[1:])
	case "admin":
		return m.runAdmin(ctx, args[1:])
	case "history":
		return m.runHistory(ctx, args[1:])
	case "log":
		return m.runLog(ctx, args[1:])
	case "help", "-h", "--help", "-help":
		fmt.Fprint(m.Stdout, usage)
		return nil
	case "version", "--version", "-version":
		fmt.Fprintln(m.Stdout, version())
		return nil
	}
	return usagef("unknown command %q: the commands are serve, policy, catalog, admin, history and log (run 'iamq -h' for usage)", args[0])
}

func exitCode(stderr io.Writer, err error) int {
	var status exitStatus
	switch {
	case err == nil:
		return 0
	case errors.As(err, &status):
		return int(status)
	case errors.Is(err, ErrUsage):
		// A bare ErrUsage was explained where it was returned; a wrapping
		// one carries the explanation.
		if msg := strings.TrimPrefix(err.Error(), ErrUsage.Error()+": "); msg != ErrUsage.Error() {
			if !strings.HasPrefix(msg, "iamq ") { // a subcommand's message names it
				msg = "iamq: " + msg
			}
			fmt.Fprintln(stderr, msg)
		}
		return 2
	case errors.Is(err, context.Canceled):
		return 0
	}
	fmt.Fprintf(stderr, "iamq: %v\n", err)
	return 1
}
