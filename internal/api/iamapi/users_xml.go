package iamapi

import (
	"bytes"
	"encoding/xml"
)

// AppendXML writes GetUser's and CreateUser's <User> without reflection,
// byte for byte as encoding/xml writes xmlUser (TestUserResultXML compares
// them): GetUser of the caller is the enforcement benchmark's hot path.
func (r userResult) AppendXML(b []byte) []byte {
	u := &r.User
	b = append(b, "<User>"...)
	if u.Path != "" {
		b = appendStdElement(b, "Path", u.Path)
	}
	if u.UserName != "" {
		b = appendStdElement(b, "UserName", u.UserName)
	}
	b = appendStdElement(b, "UserId", u.UserId)
	b = appendStdElement(b, "Arn", u.Arn)
	b = appendStdElement(b, "CreateDate", u.CreateDate)
	if pb := u.PermissionsBoundary; pb != nil {
		b = append(b, "<PermissionsBoundary>"...)
		b = appendStdElement(b, "PermissionsBoundaryType", pb.PermissionsBoundaryType)
		b = appendStdElement(b, "PermissionsBoundaryArn", pb.PermissionsBoundaryArn)
		b = append(b, "</PermissionsBoundary>"...)
	}
	if u.Tags != nil {
		b = append(b, "<Tags>"...)
		for _, t := range u.Tags.Member {
			b = append(b, "<member>"...)
			b = appendStdElement(b, "Key", t.Key)
			b = appendStdElement(b, "Value", t.Value)
			b = append(b, "</member>"...)
		}
		b = append(b, "</Tags>"...)
	}
	return append(b, "</User>"...)
}

// appendStdElement appends <name>text</name> with text escaped exactly as
// encoding/xml escapes it (xml.EscapeText), so that a hand-written answer
// equals the reflected one.
func appendStdElement(b []byte, name, text string) []byte {
	b = append(b, '<')
	b = append(b, name...)
	b = append(b, '>')
	plain := true
	for i := 0; i < len(text) && plain; i++ {
		c := text[i]
		plain = c >= 0x20 && c < 0x80 && c != '"' && c != '\'' && c != '&' && c != '<' && c != '>'
	}
	if plain {
		b = append(b, text...)
	} else {
		var buf bytes.Buffer
		xml.EscapeText(&buf, []byte(text)) // writing to a bytes.Buffer cannot fail
		b = append(b, buf.Bytes()...)
	}
	b = append(b, "</"...)
	b = append(b, name...)
	return append(b, '>')
}
