package arn

import "testing"

func BenchmarkSplit(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := Split("arn:aws:mq:us-east-1:123456789012:broker:MyBroker:b-1234"); !ok {
			b.Fatal("not an ARN")
		}
	}
}

func BenchmarkMatch(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if !Match("arn:aws:mq:*:123456789012:broker:*:b-*", "arn:aws:mq:us-east-1:123456789012:broker:MyBroker:b-1234") {
			b.Fatal("no match")
		}
	}
}

func BenchmarkUserString(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = User("123456789012", "/division_abc/", "Bob").String()
	}
}
