package io.upstreamoauth.agent.rotation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * What a file is now, cheaply: where its path leads after every symbolic link, its size and its
 * modification time. Kubernetes updates a mounted secret by pointing the {@code ..data} link at a
 * new directory, so the real path changes even when size and time happen to match; an in-place
 * write changes size or time.
 */
final class FileStamp {

  private final String realPath; // null: not readable now
  private final long size;
  private final long modifiedMillis;

  private FileStamp(String realPath, long size, long modifiedMillis) {
    this.realPath = realPath;
    this.size = size;
    this.modifiedMillis = modifiedMillis;
  }

  /** Returns the file's stamp; a missing or unreadable file has a stamp of its own. */
  static FileStamp of(String path) {
    try {
      Path real = Paths.get(path).toRealPath();
      return new FileStamp(real.toString(), Files.size(real), Files.getLastModifiedTime(real).toMillis());
    } catch (IOException | RuntimeException e) {
      return new FileStamp(null, -1, -1);
    }
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof FileStamp)) {
      return false;
    }
    FileStamp that = (FileStamp) other;
    return size == that.size
        && modifiedMillis == that.modifiedMillis
        && (realPath == null ? that.realPath == null : realPath.equals(that.realPath));
  }

  @Override
  public int hashCode() {
    return (realPath == null ? 0 : realPath.hashCode()) * 31 + (int) (size ^ modifiedMillis);
  }

  @Override
  public String toString() {
    return "FileStamp{" + realPath + ", " + size + " bytes, modified " + modifiedMillis + "}";
  }
}
