module github.com/iamq/iamq/scripts/bench/flood

go 1.26.0
