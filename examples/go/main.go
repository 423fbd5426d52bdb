// Tags every image of a folder, builds a cosine index of their vectors, saves and reloads it,
// then searches it by the folder's first image and by a text: the C++ tag_and_search through
// the Go package in bindings/go (cgo over the C ABI).
//
// Usage: tag_and_search TAGGER_MODEL EMBEDDER_MODEL IMAGE_FOLDER INDEX_PATH
//
// Build with CGO_LDFLAGS="-L<dir of libacg2vec.so> -Wl,-rpath,<dir>" (run.sh does).
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"acg2vec.dev/acg2vec"
)

const queryText = "a girl with long hair"

func printHits(hits []acg2vec.Hit) {
	for i, hit := range hits {
		fmt.Printf("  %d. %s (distance %.6f)\n", i+1, hit.Key, hit.Distance)
	}
}

func run(taggerPath, embedderPath, folder, indexPath string) error {
	// The folder's images (by extension), sorted: what `acg2vec index build` would see.
	images, err := acg2vec.ListImageFiles(folder)
	if err != nil {
		return err
	}
	if len(images) == 0 {
		return fmt.Errorf("no images in %s", folder)
	}

	// 1. Tags: the rating and a caption (characters, then general tags) per image.
	model, err := acg2vec.OpenModel(taggerPath, acg2vec.ModelOptions{})
	if err != nil {
		return err
	}
	tagger, err := acg2vec.NewTagger(model, acg2vec.TagOptions{})
	model.Close() // the tagger keeps the model alive
	if err != nil {
		return err
	}
	defer tagger.Close()
	for _, image := range images {
		tags, err := tagger.Tag(acg2vec.File(image))
		if err != nil {
			return err
		}
		fmt.Printf("%s [%s] %s\n", image, tags.Rating, tags.Caption(", "))
	}

	// 2. An index of the image vectors, keyed by file name, saved and loaded again; the index
	// options record the model, so a later load with another model fails.
	model, err = acg2vec.OpenModel(embedderPath, acg2vec.ModelOptions{})
	if err != nil {
		return err
	}
	embedder, err := acg2vec.NewEmbedder(model)
	model.Close()
	if err != nil {
		return err
	}
	defer embedder.Close()
	options, err := acg2vec.IndexOptionsFor(embedder)
	if err != nil {
		return err
	}
	index, err := acg2vec.CreateIndex(options)
	if err != nil {
		return err
	}
	defer index.Close()
	for _, image := range images {
		vector, err := embedder.Embed(acg2vec.File(image))
		if err != nil {
			return err
		}
		if err := index.Add(filepath.Base(image), vector); err != nil {
			return err
		}
	}
	if err := index.Save(indexPath); err != nil {
		return err
	}
	loaded, err := acg2vec.LoadIndex(indexPath, options)
	if err != nil {
		return err
	}
	defer loaded.Close()
	size, err := loaded.Len()
	if err != nil {
		return err
	}
	fmt.Printf("index %s: %d images, %d dimensions\n", indexPath, size, options.Dimension())

	// 3. Searches: by an image (its own key comes first) and by a text.
	fmt.Printf("search by image %s:\n", filepath.Base(images[0]))
	query, err := embedder.Embed(acg2vec.File(images[0]))
	if err != nil {
		return err
	}
	hits, err := loaded.Search(query, 3)
	if err != nil {
		return err
	}
	printHits(hits)
	fmt.Printf("search by text %q:\n", queryText)
	if query, err = embedder.EmbedText(queryText); err != nil {
		return err
	}
	if hits, err = loaded.Search(query, 3); err != nil {
		return err
	}
	printHits(hits)
	return nil
}

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintf(os.Stderr, "usage: %s TAGGER_MODEL EMBEDDER_MODEL IMAGE_FOLDER INDEX_PATH\n", os.Args[0])
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3], os.Args[4]); err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		os.Exit(1)
	}
	fmt.Println("done")
}
