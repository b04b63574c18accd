package server

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strconv"
	"time"
)

// XMLAppender is implemented by results that write their own XML (the
// elements inside <ActionResult>), so that hot operations skip reflection.
type XMLAppender interface {
	AppendXML(b []byte) []byte
}

// appendQueryResult appends a whole Query response:
//
//	<ActionResponse xmlns="…"><ActionResult>…</ActionResult>
//	<ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></ActionResponse>
//
// A nil result writes no Result element (the deletions and the like).
func appendQueryResult(b []byte, namespace, action, requestID string, result any) ([]byte, error) {
	b = append(b, '<')
	b = append(b, action...)
	b = append(b, `Response xmlns="`...)
	b = append(b, namespace...)
	b = append(b, `">`...)
	switch r := result.(type) {
	case nil:
	case XMLAppender:
		b = append(b, '<')
		b = append(b, action...)
		b = append(b, "Result>"...)
		b = r.AppendXML(b)
		b = append(b, "</"...)
		b = append(b, action...)
		b = append(b, "Result>"...)
	default:
		buf := bytes.NewBuffer(b)
		enc := xml.NewEncoder(buf)
		if err := enc.EncodeElement(result, xml.StartElement{Name: xml.Name{Local: action + "Result"}}); err != nil {
			return nil, err
		}
		b = buf.Bytes()
	}
	b = append(b, "<ResponseMetadata><RequestId>"...)
	b = AppendXMLText(b, requestID)
	b = append(b, "</RequestId></ResponseMetadata></"...)
	b = append(b, action...)
	b = append(b, "Response>"...)
	return b, nil
}

// appendQueryError appends the error envelope every SDK's Query protocol
// parses:
//
//	<ErrorResponse xmlns="…"><Error><Type>Sender</Type><Code>…</Code>
//	<Message>…</Message></Error><RequestId>…</RequestId></ErrorResponse>
func appendQueryError(b []byte, namespace string, e *APIError, requestID string) []byte {
	b = append(b, `<ErrorResponse xmlns="`...)
	b = append(b, namespace...)
	b = append(b, `"><Error><Type>`...)
	b = append(b, e.Fault...)
	b = append(b, "</Type><Code>"...)
	b = AppendXMLText(b, string(e.Code))
	b = append(b, "</Code><Message>"...)
	b = AppendXMLText(b, e.Message)
	b = append(b, "</Message></Error><RequestId>"...)
	b = AppendXMLText(b, requestID)
	b = append(b, "</RequestId></ErrorResponse>"...)
	return b
}

// AppendXMLElement appends <name>text</name>, escaping text.
func AppendXMLElement(b []byte, name, text string) []byte {
	b = append(b, '<')
	b = append(b, name...)
	b = append(b, '>')
	b = AppendXMLText(b, text)
	b = append(b, "</"...)
	b = append(b, name...)
	return append(b, '>')
}

// AppendXMLText appends s escaped as XML character data.
func AppendXMLText(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '&':
			esc = "&amp;"
		case '"':
			esc = "&quot;"
		case '\'':
			esc = "&apos;"
		case '\r':
			esc = "&#xD;"
		default:
			continue
		}
		b = append(b, s[start:i]...)
		b = append(b, esc...)
		start = i + 1
	}
	return append(b, s[start:]...)
}

// textXML is the Content-Type of every XML answer, shared: HTTP servers only
// read header values, and the handler never changes this one.
var textXML = []string{"text/xml"}

// writeXML sends an XML body with the request id header the SDKs read.
func writeXML(w http.ResponseWriter, status int, requestID string, body []byte) {
	h := w.Header()
	v := []string{requestID, strconv.Itoa(len(body))} // one allocation for both
	h["Content-Type"] = textXML
	h["X-Amzn-Requestid"] = v[0:1:1]
	h["Content-Length"] = v[1:2:2]
	w.WriteHeader(status)
	w.Write(body)
}

// ISODate writes a time as the Query services do: ISO 8601 in UTC, to the
// second.
func ISODate(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }
