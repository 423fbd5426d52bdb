// Tags every image of a folder, builds a cosine index of their vectors, saves and reloads it,
// then searches it by the folder's first image and by a text: the C++ tag_and_search through
// the C# binding in bindings/csharp (P/Invoke, SafeHandles freed on Dispose).
// Usage: mono TagAndSearch.exe TAGGER_MODEL EMBEDDER_MODEL IMAGE_FOLDER INDEX_PATH
// (libacg2vec.so found through LD_LIBRARY_PATH).
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Acg2vec;

namespace Acg2vecExample
{
    static class TagAndSearch
    {
        const string QueryText = "a girl with long hair";

        static void PrintHits(List<Hit> hits)
        {
            for (int i = 0; i < hits.Count; ++i)
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0}. {1} (distance {2:F6})", i + 1,
                                                hits[i].Key, (double)hits[i].Distance));  // as printf rounds
        }

        static void Run(string taggerPath, string embedderPath, string folder, string indexPath)
        {
            // The folder's images (by extension), sorted: what `acg2vec index build` would see.
            List<string> images = Library.ListImageFiles(folder);
            if (images.Count == 0) throw new IOException("no images in " + folder);

            // 1. Tags: the rating and a caption (characters, then general tags) per image.
            Tagger tagger;
            using (var model = Model.Open(taggerPath)) tagger = Tagger.Create(model);  // it keeps the model
            using (tagger)
                foreach (var image in images)
                {
                    TagResult tags = tagger.Tag(image);
                    Console.WriteLine(image + " [" + tags.Rating + "] " + tags.Caption());
                }

            // 2. An index of the image vectors, keyed by file name, saved and loaded again; the
            // options record the model, so a later load with another model fails.
            Embedder embedder;
            using (var model = Model.Open(embedderPath)) embedder = Embedder.Create(model);
            using (embedder)
            {
                var options = new IndexOptions(embedder);
                using (var index = VectorIndex.Create(options))
                {
                    foreach (var image in images) index.Add(Path.GetFileName(image), embedder.Embed(image));
                    index.Save(indexPath);
                }
                using (var loaded = VectorIndex.Load(indexPath, options))
                {
                    Console.WriteLine("index " + indexPath + ": " + loaded.Count + " images, " + options.Dimension +
                                      " dimensions");

                    // 3. Searches: by an image (its own key comes first) and by a text.
                    Console.WriteLine("search by image " + Path.GetFileName(images[0]) + ":");
                    PrintHits(loaded.Search(embedder.Embed(images[0]), 3));
                    Console.WriteLine("search by text \"" + QueryText + "\":");
                    PrintHits(loaded.Search(embedder.EmbedText(QueryText), 3));
                }
            }
        }

        static int Main(string[] args)
        {
            if (args.Length != 4)
            {
                Console.Error.WriteLine("usage: mono TagAndSearch.exe TAGGER_MODEL EMBEDDER_MODEL IMAGE_FOLDER INDEX_PATH");
                return 2;
            }
            try
            {
                Run(args[0], args[1], args[2], args[3]);
            }
            catch (Exception e) when (e is Acg2vecException || e is IOException || e is UnauthorizedAccessException)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 1;
            }
            Console.WriteLine("done");
            return 0;
        }
    }
}
