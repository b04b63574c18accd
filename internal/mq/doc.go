// Package mq is the Amazon MQ control plane, independent of HTTP: brokers
// and their life cycle, configurations with their revisions, broker users
// with changes pending until a reboot, tags, and the engine and instance
// tables. iamq runs the control plane only, never a message broker: a
// broker here is a record whose state follows an injected clock.
//
// Every operation acts for a verified caller (authz.Principal). The
// operation's own action is authorized by the endpoint before the
// operation runs; the further actions one call needs (mq:CreateTags when
// CreateBroker is given tags, iam:CreateServiceLinkedRole for the first
// broker, the ec2: network actions an ActiveMQ broker needs) are
// authorized here, through the same authorizer. The service-linked role
// AWSServiceRoleForAmazonMQ is created with the first broker, and the
// service acts through it (authz.ServiceRole) for what it does in the
// customer's account for a RabbitMQ broker. (The Service Authorization
// Reference also lists iam:PassRole, with iam:PassedToService =
// mq.amazonaws.com, for CreateBroker "when a role is passed"; the mq
// service model's CreateBrokerRequest has no member that passes a role, so
// no call here asks for it.)
//
// It may import internal/iam (for the service-linked role).
package mq
