package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// usageError is a command line iamq cannot understand, with the one line
// that says what is wrong and how to fix it. It is an [ErrUsage] (exit 2).
type usageError struct{ msg string }

func (e *usageError) Error() string        { return e.msg }
func (e *usageError) Is(target error) bool { return target == ErrUsage }

// usagef returns a usage error with a message for the user.
func usagef(format string, a ...any) error {
	return &usageError{msg: fmt.Sprintf(format, a...)}
}

// errHelp is what a command returns after printing its usage for -h: exit 0.
const errHelp = exitStatus(0)

// parseFlags parses args into fs. For -h (or --help) it prints usage and
// fs's flags on standard output, once, and returns [errHelp]; a flag it
// cannot parse is a usage error naming the flag and the way to the usage.
// (The flag package's own output is silenced: it would print the usage on
// standard error after its message, and again for -h.)
func (m *Main) parseFlags(fs *flag.FlagSet, args []string, usage string) error {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		m.printUsage(fs, usage)
		return errHelp
	}
	if err != nil {
		return usagef("%s: %v (run '%s -h' for its usage)", fs.Name(), err, fs.Name())
	}
	return nil
}

// printUsage prints usage and fs's flags on standard output.
func (m *Main) printUsage(fs *flag.FlagSet, usage string) {
	fmt.Fprint(m.Stdout, usage)
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprintln(m.Stdout, "\nFlags:")
		fs.SetOutput(m.Stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool {
	return arg == "-h" || arg == "--help" || arg == "-help" || arg == "help"
}

// version describes the binary: the module version and the VCS revision
// the Go toolchain stamped into it.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "iamq (no build information)"
	}
	v := "iamq " + bi.Main.Version
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		v += " (revision " + rev
		if t := settings["vcs.time"]; t != "" {
			v += ", " + t
		}
		if settings["vcs.modified"] == "true" {
			v += ", modified"
		}
		v += ")"
	} else {
		v += " (no VCS revision: built outside a git checkout or with -buildvcs=false)"
	}
	return strings.TrimSpace(v + " " + bi.GoVersion)
}

// flagSet reports whether the command line set the flag name.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
