module example.com/handarnmod

go 1.24
