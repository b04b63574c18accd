package arn

import "strings"

// The Amazon MQ resource types (Service Authorization Reference, "Resource
// types defined by Amazon MQ"): a broker is
// arn:${Partition}:mq:${Region}:${Account}:broker:${BrokerName}:${BrokerId},
// a configuration arn:${Partition}:mq:${Region}:${Account}:configuration:${ConfigurationId}.
const (
	ServiceMQ           = "mq"
	TypeMQBroker        = "broker"
	TypeMQConfiguration = "configuration"
)

// MQBroker is the ARN of an Amazon MQ broker.
func MQBroker(region, account, name, id string) ARN {
	return ARN{Partition: PartitionAWS, Service: ServiceMQ, Region: region, Account: account,
		Resource: TypeMQBroker + ":" + name + ":" + id}
}

// MQConfiguration is the ARN of an Amazon MQ configuration.
func MQConfiguration(region, account, id string) ARN {
	return ARN{Partition: PartitionAWS, Service: ServiceMQ, Region: region, Account: account,
		Resource: TypeMQConfiguration + ":" + id}
}

// MQResource is the resource segment of an Amazon MQ ARN: its type, and
// the broker's name (empty for a configuration) and the id.
type MQResource struct {
	Type, Name, ID string
}

// MQ splits the resource of an Amazon MQ ARN; ok is false for another
// service or a resource of another shape.
func (a ARN) MQ() (r MQResource, ok bool) {
	if a.Service != ServiceMQ {
		return MQResource{}, false
	}
	typ, rest, found := strings.Cut(a.Resource, ":")
	if !found || rest == "" {
		return MQResource{}, false
	}
	switch typ {
	case TypeMQBroker:
		name, id, found := strings.Cut(rest, ":")
		if !found || name == "" || id == "" || strings.Contains(id, ":") {
			return MQResource{}, false
		}
		return MQResource{Type: typ, Name: name, ID: id}, true
	case TypeMQConfiguration:
		if strings.Contains(rest, ":") {
			return MQResource{}, false
		}
		return MQResource{Type: typ, ID: rest}, true
	}
	return MQResource{}, false
}

// Service builds the ARN of a resource of another service in the aws
// partition, for the actions a service takes on a customer's behalf
// (ec2:CreateVpcEndpoint on vpc-endpoint/*, logs:CreateLogGroup on a log
// group).
func Service(service, region, account, resource string) ARN {
	return ARN{Partition: PartitionAWS, Service: service, Region: region, Account: account, Resource: resource}
}
