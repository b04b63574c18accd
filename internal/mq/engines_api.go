package mq

import "slices"

// EngineTypeInfo is one engine and its versions
// (DescribeBrokerEngineTypes' BrokerEngineType).
type EngineTypeInfo struct {
	EngineType     EngineType    `json:"engineType"`
	EngineVersions []VersionName `json:"engineVersions"`
}

// VersionName is an engine version (EngineVersion).
type VersionName struct {
	Name string `json:"name"`
}

// InstanceOption is one host instance type with what it supports
// (BrokerInstanceOption).
type InstanceOption struct {
	AvailabilityZones        []VersionName    `json:"availabilityZones"`
	EngineType               EngineType       `json:"engineType"`
	HostInstanceType         string           `json:"hostInstanceType"`
	StorageType              StorageType      `json:"storageType"`
	SupportedDeploymentModes []DeploymentMode `json:"supportedDeploymentModes"`
	SupportedEngineVersions  []string         `json:"supportedEngineVersions"`
}

// BrokerEngineTypes lists the engines, filtered by engineType ("" = all),
// paged like the other lists.
func (s *Service) BrokerEngineTypes(engineType string, maxResults int, token string) (Page[EngineTypeInfo], error) {
	var all []EngineTypeInfo
	for _, e := range []EngineType{ActiveMQ, RabbitMQ} {
		if engineType != "" && EngineType(engineType) != e {
			continue
		}
		info := EngineTypeInfo{EngineType: e}
		for _, v := range engineVersions(e) {
			info.EngineVersions = append(info.EngineVersions, VersionName{Name: v})
		}
		all = append(all, info)
	}
	return pageSlice(all, maxResults, token)
}

// BrokerInstanceOptions lists every instance type, engine and storage
// combination in region, filtered by the non-empty arguments.
func (s *Service) BrokerInstanceOptions(region, engineType, instance, storage string, maxResults int, token string) (Page[InstanceOption], error) {
	var all []InstanceOption
	zones := []VersionName{{region + "a"}, {region + "b"}, {region + "c"}}
	for _, it := range instanceTypes {
		for _, e := range []EngineType{ActiveMQ, RabbitMQ} {
			versions := it.engines[e]
			if versions == nil || engineType != "" && EngineType(engineType) != e || instance != "" && instance != it.name {
				continue
			}
			for _, st := range storageTypes(e, it.name) {
				if storage != "" && StorageType(storage) != st {
					continue
				}
				all = append(all, InstanceOption{AvailabilityZones: zones, EngineType: e, HostInstanceType: it.name, StorageType: st,
					SupportedDeploymentModes: deploymentModes(e, it.name), SupportedEngineVersions: slices.Clone(versions)})
			}
		}
	}
	return pageSlice(all, maxResults, token)
}

// pageSlice pages a fixed list; the token is the index of the next item.
func pageSlice[T any](all []T, maxResults int, token string) (Page[T], error) {
	o, err := pageOptions(maxResults, token)
	if err != nil {
		return Page[T]{}, err
	}
	start := 0
	if token != "" {
		start = -1
		for i := range len(all) {
			if token == itoa(i) {
				start = i
			}
		}
		if start < 0 {
			return Page[T]{}, badRequest("nextToken", "The nextToken is not valid.")
		}
	}
	end := min(start+o.MaxItems, len(all))
	p := Page[T]{Items: all[start:end]}
	if end < len(all) {
		p.NextToken = itoa(end)
	}
	if p.Items == nil {
		p.Items = []T{}
	}
	return p, nil
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}
