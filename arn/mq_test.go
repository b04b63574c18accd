package arn

import "testing"

func TestMQ(t *testing.T) {
	tests := []struct {
		in   string
		want MQResource
		ok   bool
	}{
		{"arn:aws:mq:us-east-1:123456789012:broker:my-broker:b-1234", MQResource{TypeMQBroker, "my-broker", "b-1234"}, true},
		{"arn:aws:mq:us-east-1:123456789012:configuration:c-1234", MQResource{TypeMQConfiguration, "", "c-1234"}, true},
		{"arn:aws:mq:us-east-1:123456789012:broker:my-broker", MQResource{}, false},
		{"arn:aws:mq:us-east-1:123456789012:broker::b-1", MQResource{}, false},
		{"arn:aws:mq:us-east-1:123456789012:configuration:c-1:2", MQResource{}, false},
		{"arn:aws:mq:us-east-1:123456789012:queue:q", MQResource{}, false},
		{"arn:aws:sqs:us-east-1:123456789012:broker:a:b", MQResource{}, false},
	}
	for _, tt := range tests {
		a, err := Parse(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := a.MQ()
		if got != tt.want || ok != tt.ok {
			t.Errorf("MQ(%s) = %+v, %v, want %+v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	if got := MQBroker("eu-west-1", "123456789012", "n", "b-1").String(); got != "arn:aws:mq:eu-west-1:123456789012:broker:n:b-1" {
		t.Errorf("MQBroker = %s", got)
	}
}

// FuzzMQ checks that every Amazon MQ ARN MQ accepts is rebuilt exactly.
func FuzzMQ(f *testing.F) {
	f.Add("arn:aws:mq:us-east-1:123456789012:broker:my-broker:b-1234")
	f.Add("arn:aws:mq:us-east-1:123456789012:configuration:c-1234")
	f.Add("arn:aws:mq:::broker:::")
	f.Fuzz(func(t *testing.T, s string) {
		a, ok := Split(s)
		if !ok || a.Partition != PartitionAWS {
			return
		}
		r, ok := a.MQ()
		if !ok {
			return
		}
		var back ARN
		if r.Type == TypeMQBroker {
			back = MQBroker(a.Region, a.Account, r.Name, r.ID)
		} else {
			back = MQConfiguration(a.Region, a.Account, r.ID)
		}
		if back.String() != s {
			t.Errorf("MQ(%q) = %+v, rebuilt as %q", s, r, back)
		}
	})
}
