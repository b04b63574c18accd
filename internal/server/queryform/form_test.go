package queryform

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestForm(t *testing.T) {
	f, err := Parse("Action=CreateUser&UserName=Bob&MaxItems=5&Bad=x&Flag=true&Tags.member.1.Key=team&Tags.member.1.Value=mq&Tags.member.2.Key=env" +
		"&Keys.member.1=a&Keys.member.2=b&Keys.member.4=d")
	if err != nil {
		t.Fatal(err)
	}
	if got := f.String("UserName"); got != "Bob" {
		t.Errorf("String(UserName) = %q", got)
	}
	if got, ok := f.Optional("Path"); ok || got != "" {
		t.Errorf("Optional(Path) = %q, %v", got, ok)
	}
	if n, ok := f.Int("MaxItems"); n != 5 || !ok {
		t.Errorf("Int(MaxItems) = %d, %v", n, ok)
	}
	if b, ok := f.Bool("Flag"); !b || !ok {
		t.Errorf("Bool(Flag) = %v, %v", b, ok)
	}
	if got := f.List("Keys"); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("List(Keys) = %q, want [a b] (stops at the gap)", got)
	}
	tags := f.Members("Tags")
	if len(tags) != 2 || tags[0].String("Key") != "team" || tags[0].Get("Value") != "mq" || tags[1].String("Key") != "env" {
		t.Errorf("Members(Tags) = %d members", len(tags))
	}
	if _, ok := tags[1].Optional("Value"); ok {
		t.Error("Tags.member.2.Value is absent but Optional found it")
	}
	if err := f.Err(); err != nil {
		t.Fatalf("Err() = %v before any failure", err)
	}
	f.Int("Bad")
	f.String("PolicyArn")
	tags[1].String("Value")
	err = f.Err()
	want := "3 validation errors detected: Value 'x' at 'bad' failed to satisfy constraint: Member must be a number; " +
		"Value null at 'policyArn' failed to satisfy constraint: Member must not be null; " +
		"Value null at 'tags.member.2.value' failed to satisfy constraint: Member must not be null"
	var ae *Error
	if !errors.As(err, &ae) || ae.Message != want {
		t.Errorf("Err() = %v, want ValidationError %q", err, want)
	}
}

// FuzzForm: no panic on any input; lists are the members 1..N without gaps;
// a required parameter that is present records no error.
func FuzzForm(f *testing.F) {
	addFormSeeds(f)
	f.Fuzz(func(t *testing.T, raw string) {
		form, err := Parse(raw)
		if err != nil {
			return
		}
		action := form.Get("Action")
		form.Int("MaxItems")
		form.Bool("IsTruncated")
		for _, m := range form.Members("Tags") {
			m.Optional("Key")
		}
		for i, v := range form.List("TagKeys") {
			if got := form.Get("TagKeys.member." + strconv.Itoa(i+1)); got != v {
				t.Fatalf("List(TagKeys)[%d] = %q, but the parameter is %q", i, v, got)
			}
		}
		before := form.Err()
		if form.Has("Action") {
			if got := form.String("Action"); got != action {
				t.Fatalf("String(Action) = %q, Get = %q", got, action)
			}
			after := form.Err()
			if (before == nil) != (after == nil) || (after != nil && after.Error() != before.Error()) {
				t.Fatalf("a present parameter recorded an error: %v → %v", before, after)
			}
		}
		if err := form.Err(); err != nil && !strings.Contains(err.Error(), "validation error") {
			t.Fatalf("Err() = %v", err)
		}
	})
}

// FuzzParseFormAsNetURL: ParseForm refuses what url.ParseQuery refuses and
// otherwise decodes the same values.
func FuzzParseFormAsNetURL(f *testing.F) {
	addFormSeeds(f)
	f.Add("a=1&a=2&b=&=c&&d")
	f.Add("a=1;b=2")
	f.Add("a=%zz")
	f.Fuzz(func(t *testing.T, raw string) {
		want, wantErr := url.ParseQuery(raw)
		form, err := Parse(raw)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("Parse(%q) error %v, url.ParseQuery error %v", raw, err, wantErr)
		}
		if err == nil && !reflect.DeepEqual(form.values, want) {
			t.Fatalf("Parse(%q) = %q, url.ParseQuery = %q", raw, form.values, want)
		}
	})
}

// addFormSeeds seeds f with the forms of testdata/form.
func addFormSeeds(f *testing.F) {
	files, _ := filepath.Glob("testdata/form/*.txt")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
}
