module acg2vec.example/tag_and_search

go 1.19
