package policy

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, text string
		code       Code
		line, col  int
	}{
		{"empty", ``, CodeSyntax, 1, 1},
		{"not an object", `[]`, CodeType, 1, 1},
		{"not JSON", `x`, CodeSyntax, 1, 1},
		{"trailing text", `{} x`, CodeSyntax, 1, 4},
		{"unterminated", "{\n  \"Version\": \"2012", CodeSyntax, 2, 19},
		{"effect number", `{"Statement": {"Effect": 1}}`, CodeType, 1, 26},
		{"action object", `{"Statement": [{"Action": {}}]}`, CodeType, 1, 27},
		{"action list of numbers", `{"Statement": [{"Action": ["a:b", 2]}]}`, CodeType, 1, 35},
		{"principal string", `{"Statement": {"Principal": "arn:aws:iam::1:root"}}`, CodeType, 1, 29},
		{"condition null", `{"Statement": {"Condition": {"Bool": {"aws:x": null}}}}`, CodeType, 1, 48},
		{"bad escape", `{"Id": "\x"}`, CodeSyntax, 1, 9},
		{"control char", "{\"Id\": \"a\tb\"}", CodeSyntax, 1, 10},
		{"invalid utf8", "{\"Id\": \"\xff\"}", CodeSyntax, 1, 9},
		{"bad number", `{"Statement": {"Condition": {"NumericEquals": {"k": 01}}}}`, CodeSyntax, 1, 54},
		{"deep", strings.Repeat(`{"Foo":`, 100), CodeSyntax, 1, 449},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.text)
			var pe *ParseError
			if !errors.As(err, &pe) || !errors.Is(err, ErrSyntax) {
				t.Fatalf("Parse(%q) = %v, want a *ParseError wrapping ErrSyntax", tt.text, err)
			}
			if pe.Code != tt.code || pe.Pos.Line != tt.line || pe.Pos.Column != tt.col {
				t.Errorf("Parse(%q) = %s at %d:%d, want %s at %d:%d (%v)", tt.text, pe.Code, pe.Pos.Line, pe.Pos.Column, tt.code, tt.line, tt.col, err)
			}
			if pe.Message != MsgSyntax {
				t.Errorf("Parse(%q).Message = %q, want %q", tt.text, pe.Message, MsgSyntax)
			}
		})
	}
}

func TestParseForms(t *testing.T) {
	text := `{
  "Version": "2012-10-17",
  "Id": "x",
  "Statement": {
    "Sid": "One",
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::123456789012:root", "Service": ["a.amazonaws.com", "b.amazonaws.com"]},
    "Action": "s3:GetObject",
    "NotResource": ["arn:aws:s3:::b/*"],
    "Condition": {
      "NumericLessThan": {"s3:max-keys": 10},
      "ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["a*", "b\u00e9"]},
      "Bool": {"aws:SecureTransport": false}
    }
  }
}`
	d, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	want := &Document{Version: Version20121017, ID: "x", Text: text, Statements: []Statement{{
		Sid: "One", Effect: Allow,
		Principal:   &Principal{AWS: []string{"arn:aws:iam::123456789012:root"}, Service: []string{"a.amazonaws.com", "b.amazonaws.com"}},
		Action:      []string{"s3:GetObject"},
		NotResource: []string{"arn:aws:s3:::b/*"},
		Conditions: []Condition{
			{Operator: Operator{Name: "NumericLessThan", Comparison: NumericLessThan}, Key: "s3:max-keys",
				Values: []Value{{"10", ValueNumber}}, Pos: at(text, `"s3:max-keys"`)},
			{Operator: Operator{Name: "ForAnyValue:StringLikeIfExists", Comparison: StringLike, Qualifier: ForAnyValue, IfExists: true},
				Key: "aws:TagKeys", Values: []Value{{"a*", ValueString}, {"bé", ValueString}}, Pos: at(text, `"aws:TagKeys"`)},
			{Operator: Operator{Name: "Bool", Comparison: Bool}, Key: "aws:SecureTransport",
				Values: []Value{{"false", ValueBool}}, Pos: at(text, `"aws:SecureTransport"`)},
		},
		Pos: at(text, `{
    "Sid"`),
	}}}
	want.checkedChars = true // the text is ASCII ("\u00e9" is an escape)
	d.notes = nil
	if !reflect.DeepEqual(d, want) {
		t.Errorf("Parse = %+v\nwant    %+v", d, want)
	}
}

// at returns the position of the first occurrence of sub in text, counting
// lines and columns independently of the scanner.
func at(text, sub string) Position {
	off := strings.Index(text, sub)
	if off < 0 {
		panic("at: " + sub + " not found")
	}
	line := 1 + strings.Count(text[:off], "\n")
	col := off - strings.LastIndex(text[:off], "\n")
	return Position{Offset: off, Line: line, Column: col}
}

// endless is a reader of endless spaces.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	e.n += int64(len(p))
	return len(p), nil
}

func TestParseReaderTooLarge(t *testing.T) {
	r := io.LimitReader(&endless{}, 100<<20) // 100 MB
	src := &countingReader{r: r}
	_, err := ParseReader(src)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("ParseReader(100 MB) = %v, want ErrTooLarge", err)
	}
	if src.n > 2*MaxTextBytes {
		t.Errorf("ParseReader read %d bytes, want at most about %d", src.n, MaxTextBytes+1)
	}
	if _, err := Parse(strings.Repeat(" ", MaxTextBytes+1)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Parse(1 MiB + 1) = %v, want ErrTooLarge", err)
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}
