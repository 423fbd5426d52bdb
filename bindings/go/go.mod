module acg2vec.dev/acg2vec

go 1.19
