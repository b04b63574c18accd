//go:build ignore

// Command gen writes catalog.bin, the compact form of the catalog that the
// package embeds, from the JSON files in data/ (see data/README.md). Run it
// with `go generate ./internal/catalog`.
package main

import (
	"fmt"
	"os"

	"github.com/iamq/iamq/internal/catalog"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run() error {
	services, err := os.Open("data/all-services.json.gz")
	if err != nil {
		return err
	}
	defer services.Close()
	globals, err := os.Open("data/global-condition-keys.json")
	if err != nil {
		return err
	}
	defer globals.Close()
	c, err := catalog.Load(services, catalog.LoadOptions{GlobalKeys: globals})
	if err != nil {
		return err
	}
	b, err := c.MarshalBinary()
	if err != nil {
		return err
	}
	return os.WriteFile("catalog.bin", b, 0o644)
}
