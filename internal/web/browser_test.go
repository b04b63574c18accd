package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The browser tests drive headless Chromium with chromedp. They run when a
// Chromium is installed; when IAMQ_TEST_BROWSER is set (scripts/test.sh
// sets it, after installing Debian's chromium) they are required and fail
// without one. Screenshots go to IAMQ_SCREENSHOTS, by default
// $TMPDIR/iamq-browser-screenshots, which the test logs.

// chromium finds the browser, or fails or skips the test.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("IAMQ_TEST_BROWSER") != "" {
		t.Fatal("IAMQ_TEST_BROWSER is set but no Chromium is installed (apt-get install chromium)")
	}
	t.Skip("no Chromium installed; scripts/test.sh installs it and sets IAMQ_TEST_BROWSER, which makes this test required")
	return ""
}

// browser starts headless Chromium for one test, with a phone-sized or a
// desktop window.
func browser(t *testing.T, width, height int) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium(t)), chromedp.NoSandbox,
		chromedp.Headless, chromedp.WindowSize(width, height))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	return ctx
}

func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("IAMQ_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "iamq-browser-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return dir
}

// shoot saves a screenshot of the whole page.
func shoot(ctx context.Context, dir, name string) error {
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
}

// run runs an action and fails the test on error.
func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestBrowser(t *testing.T) {
	f := newFixture(t, t.TempDir())
	srv := httptest.NewServer(f.h)
	t.Cleanup(srv.Close)
	dir := screenshotDir(t)

	t.Run("ServicePageOnAPhone", func(t *testing.T) {
		ctx := browser(t, 390, 844)
		run(t, ctx, chromedp.Navigate(srv.URL+"/managed-policies/services/mq"))
		row := run(t, ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('#changes tbody tr')].filter(r => r.cells[2] && r.cells[2].textContent.trim() === 'May 5, 2021').map(r => r.textContent).join('|')`))
		scrollW := run(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		clientW := run(t, ctx, chromedp.Evaluate[int](`document.documentElement.clientWidth`))
		if err := shoot(ctx, dir, "mq-service-phone"); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(row, "Started tracking changes") || strings.Contains(row, "|") {
			t.Errorf("the May 5, 2021 rows read %q, want one, of Started tracking changes", row)
		}
		if scrollW > clientW+2 { // tables scroll inside their box; the page does not
			t.Errorf("the page is %dpx wide on a %dpx phone", scrollW, clientW)
		}
	})

	t.Run("AmazonMQFullAccessDiff", func(t *testing.T) {
		ctx := browser(t, 1280, 900)
		run(t, ctx, chromedp.Navigate(srv.URL+"/managed-policies/policies/AmazonMQFullAccess"))
		versions := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('#versions tbody tr[data-version]').length`))
		if err := shoot(ctx, dir, "AmazonMQFullAccess"); err != nil {
			t.Fatal(err)
		}
		run(t, ctx, chromedp.Click(chromedp.CSS(`#v5 a.diff`)))
		run(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#added`)))
		added := run(t, ctx, chromedp.Text(chromedp.CSS(`#added li[data-name="iam:CreateServiceLinkedRole"]`)))
		class := run(t, ctx, chromedp.Evaluate[string](`document.querySelector('li[data-name="iam:CreateServiceLinkedRole"]').closest('ul').className`))
		color := run(t, ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('#added')).color`))
		if err := shoot(ctx, dir, "AmazonMQFullAccess-v4-v5"); err != nil {
			t.Fatal(err)
		}
		if versions != 5 {
			t.Errorf("%d versions on the page, want 5", versions)
		}
		if strings.TrimSpace(added) != "iam:CreateServiceLinkedRole" || class != "added" || color != "rgb(10, 107, 31)" {
			t.Errorf("v4→v5: %q in a list of class %q, colour %s; want iam:CreateServiceLinkedRole marked added, in green", added, class, color)
		}
	})

	t.Run("ReadOnlyAccessChart", func(t *testing.T) {
		ctx := browser(t, 1280, 900)
		run(t, ctx, chromedp.Navigate(srv.URL+"/managed-policies/policies/ReadOnlyAccess"))
		run(t, ctx, chromedp.WaitVisible(chromedp.CSS(`svg.chart`)))
		points := run(t, ctx, chromedp.Evaluate[map[string]string](`Object.fromEntries([...document.querySelectorAll('svg.chart circle[data-version]').values()].map(c => [c.dataset.version, c.dataset.actions]))`))
		// The page holds a 2,500-line document: the chart and the top of
		// the page are what to look at.
		png := run(t, ctx, chromedp.Screenshot(chromedp.CSS(`svg.chart`)))
		if err := os.WriteFile(filepath.Join(dir, "ReadOnlyAccess-chart.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
		top := run(t, ctx, chromedp.CaptureScreenshot())
		if err := os.WriteFile(filepath.Join(dir, "ReadOnlyAccess-top.png"), top, 0o644); err != nil {
			t.Fatal(err)
		}
		n := func(v string) int { x, _ := strconv.Atoi(points[v]); return x }
		if len(points) != 151 || n("v69") == 0 || !(n("v69") < n("v68") && n("v69") < n("v72")) {
			t.Fatalf("%d points; v68 %d, v69 %d, v72 %d: want v69 below v68 and v72", len(points), n("v68"), n("v69"), n("v72"))
		}
		fmt.Fprintf(os.Stderr, "browser screenshots: %s\n", dir)
	})
}
