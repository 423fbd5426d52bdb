module acg2vec.example/tag_and_search

go 1.19

require acg2vec.dev/acg2vec v0.0.0

replace acg2vec.dev/acg2vec => ../../bindings/go
