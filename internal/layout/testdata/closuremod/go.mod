module github.com/iamq/iamq

go 1.26
