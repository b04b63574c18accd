package mq

import "slices"

// This file holds the engines, versions and host instance types iamq
// offers, from the Amazon MQ Developer Guide: "Managing Amazon MQ for
// RabbitMQ engine versions" (RabbitMQ 4.2 only on mq.m7g; 3.13 on mq.t3,
// mq.m5 and mq.m7g; a new broker names major.minor and defaults to the
// latest), "Managing Amazon MQ for ActiveMQ engine versions" (5.18 and
// 5.17), and "Broker instance types" (mq.t3.micro for evaluation, single
// instance only; mq.m5 and mq.m7g sizes for production). What
// DescribeBrokerEngineTypes and DescribeBrokerInstanceOptions return is
// derived from this one table.

// instanceType is one host instance type and what runs on it.
type instanceType struct {
	name    string
	engines map[EngineType][]string // the engine versions it runs, newest first
}

var (
	activeMQVersions = []string{"5.18", "5.17.6"}
	rabbitMQ3        = []string{"3.13"}
	rabbitMQAll      = []string{"4.2", "3.13"}
)

// instanceTypes is the table, by name.
var instanceTypes = []instanceType{
	{"mq.m5.2xlarge", map[EngineType][]string{ActiveMQ: activeMQVersions, RabbitMQ: rabbitMQ3}},
	{"mq.m5.4xlarge", map[EngineType][]string{ActiveMQ: activeMQVersions, RabbitMQ: rabbitMQ3}},
	{"mq.m5.large", map[EngineType][]string{ActiveMQ: activeMQVersions, RabbitMQ: rabbitMQ3}},
	{"mq.m5.xlarge", map[EngineType][]string{ActiveMQ: activeMQVersions, RabbitMQ: rabbitMQ3}},
	{"mq.m7g.16xlarge", map[EngineType][]string{RabbitMQ: rabbitMQAll}},
	{"mq.m7g.2xlarge", map[EngineType][]string{RabbitMQ: rabbitMQAll}},
	{"mq.m7g.4xlarge", map[EngineType][]string{RabbitMQ: rabbitMQAll}},
	{"mq.m7g.8xlarge", map[EngineType][]string{RabbitMQ: rabbitMQAll}},
	{"mq.m7g.large", map[EngineType][]string{RabbitMQ: rabbitMQAll}},
	{"mq.m7g.medium", map[EngineType][]string{RabbitMQ: rabbitMQAll}},
	{"mq.m7g.xlarge", map[EngineType][]string{RabbitMQ: rabbitMQAll}},
	{"mq.t3.micro", map[EngineType][]string{ActiveMQ: activeMQVersions, RabbitMQ: rabbitMQ3}},
}

// engineVersions lists an engine's versions, newest first.
func engineVersions(e EngineType) []string {
	if e == ActiveMQ {
		return activeMQVersions
	}
	return rabbitMQAll
}

// lookupInstance returns the instance type named name.
func lookupInstance(name string) (instanceType, bool) {
	for _, it := range instanceTypes {
		if it.name == name {
			return it, true
		}
	}
	return instanceType{}, false
}

// deploymentModes are the modes an engine supports on an instance type:
// ActiveMQ single or active/standby, RabbitMQ single or a three-node
// cluster; the micro type serves single instances only.
func deploymentModes(e EngineType, instance string) []DeploymentMode {
	if instance == "mq.t3.micro" {
		return []DeploymentMode{SingleInstance}
	}
	if e == ActiveMQ {
		return []DeploymentMode{ActiveStandbyMultiAZ, SingleInstance}
	}
	return []DeploymentMode{ClusterMultiAZ, SingleInstance}
}

// storageTypes are the storage types of an engine on an instance type:
// RabbitMQ uses EBS only; ActiveMQ EFS (durable, multi-AZ) or EBS, and
// only EFS on the micro type.
func storageTypes(e EngineType, instance string) []StorageType {
	switch {
	case e == RabbitMQ:
		return []StorageType{StorageEBS}
	case instance == "mq.t3.micro":
		return []StorageType{StorageEFS}
	}
	return []StorageType{StorageEBS, StorageEFS}
}

// supports reports whether version runs on instance for engine e.
func (it instanceType) supports(e EngineType, version string) bool {
	return slices.Contains(it.engines[e], version)
}
