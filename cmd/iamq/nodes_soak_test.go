//go:build !race

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iamq/iamq/internal/store/postgres/pgtest"
)

// soakEnv sets the soak's length ("10m"); without it TestNodesSoak does not
// run: it is a measurement (scripts/bench/soak.sh), not part of the test
// command.
const soakEnv = "IAMQ_SOAK"

// TestNodesSoak runs two nodes on one PostgreSQL at a fixed mixed load
// (reads, authorization decisions, writes) for IAMQ_SOAK and reports the
// throughput, the latency, the errors (none but 503 allowed) and each node's
// memory, which must stay within 10 % from the first minute to the last.
func TestNodesSoak(t *testing.T) {
	length, err := time.ParseDuration(os.Getenv(soakEnv))
	if err != nil {
		t.Skip(soakEnv + " is not set: the soak is run by scripts/bench/soak.sh")
	}
	pg := pgtest.StartServer(t)
	env := map[string]string{"IAMQ_STORE": pg.URL, "IAMQ_KEY_FILE": filepath.Join(t.TempDir(), "secret.key")}
	nodes := []*node{startNode(t, "A", env), startNode(t, "B", env)}
	root, err := readCredentials(filepath.Join(nodes[0].dataDir, "credentials"), profileName)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	admin := nodes[0].clients(root.ID, root.Secret, "")
	if _, err := admin.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")}); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("bob"), PolicyArn: aws.String(readOnlyIAM)}); err != nil {
		t.Fatal(err)
	}
	key, err := admin.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("bob")})
	if err != nil {
		t.Fatal(err)
	}
	// One client of each kind per node, as an application keeps: a new
	// client per call would open a connection per call.
	var bobs, roots []clients
	for _, n := range nodes {
		bobs = append(bobs, n.clients(aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey), ""))
		roots = append(roots, n.clients(root.ID, root.Secret, ""))
	}
	const rate = 200 // calls a second, in all
	const workers = 8
	var mu sync.Mutex
	var latencies []time.Duration
	errs := map[string]int{}
	var rss [][]int64 // per node, one sample every 10 s
	rss = make([][]int64, len(nodes))
	runCtx, stop := context.WithTimeout(ctx, length)
	defer stop()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			tick := time.NewTicker(time.Second * workers / rate)
			defer tick.Stop()
			for i := 0; ; i++ {
				select {
				case <-runCtx.Done():
					return
				case <-tick.C:
				}
				bob, admin := bobs[(w+i)%len(nodes)], roots[(w+i)%len(nodes)]
				began := time.Now()
				var err error
				switch i % 10 {
				case 0: // a write: a user made and deleted
					name := fmt.Sprintf("s%d-%d", w, i)
					c := admin.iam
					if _, err = c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err == nil {
						_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String(name)})
					}
				case 1, 2:
					_, err = bob.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
				case 3, 4, 5:
					_, err = bob.iam.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("bob")})
				default:
					_, err = bob.iam.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("bob")})
				}
				d := time.Since(began)
				mu.Lock()
				latencies = append(latencies, d)
				if err != nil {
					code, status := apiCode(err)
					errs[fmt.Sprintf("%d %s", status, code)]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Go(func() {
		tick := time.NewTicker(10 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-runCtx.Done():
				return
			case <-tick.C:
			}
			for i, n := range nodes {
				rss[i] = append(rss[i], residentKB(n.cmd.Process.Pid))
			}
		}
	})
	wg.Wait()

	slices.Sort(latencies)
	pct := func(p float64) time.Duration { return latencies[int(float64(len(latencies)-1)*p)] }
	t.Logf("soak %v, two nodes, %d calls/s offered: %d calls (%.0f/s), p50 %v, p99 %v, max %v; errors %v",
		length, rate, len(latencies), float64(len(latencies))/length.Seconds(), pct(0.5), pct(0.99), latencies[len(latencies)-1], errs)
	for code, n := range errs {
		if !strings.HasPrefix(code, "503 ") {
			t.Errorf("%d calls failed with %s", n, code)
		}
	}
	for i, samples := range rss {
		perMinute := 6
		if len(samples) < 2*perMinute {
			t.Fatalf("node %s: %d memory samples; the soak must last two minutes at least", nodes[i].name, len(samples))
		}
		first, last := median(samples[:perMinute]), median(samples[len(samples)-perMinute:])
		t.Logf("node %s: resident memory %d KB in the first minute, %d KB in the last (%+.1f %%)", nodes[i].name, first, last, 100*float64(last-first)/float64(first))
		if float64(last) > 1.1*float64(first) {
			t.Errorf("node %s's memory grew more than 10 %%", nodes[i].name)
		}
	}
}

// residentKB is a process's resident memory, from /proc.
func residentKB(pid int) int64 {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb
		}
	}
	return 0
}

func median(xs []int64) int64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
