package io.upstreamoauth.agent.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Opens the shaded agent jar that ships and checks that nothing leaks out of it. */
class AgentJarPackagingIT {

  private static final int JAVA_8 = 52;
  private static Path jar;

  @BeforeAll
  static void findJar() {
    jar = Path.of(System.getProperty("agent.jar", "target/upstream-oauth-agent.jar"));
    assertThat(jar).exists();
  }

  @Test
  void manifest_declaresAgentEntryPointsAndRetransformation() throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      Attributes attributes = file.getManifest().getMainAttributes();
      assertThat(attributes.getValue("Premain-Class")).isEqualTo("io.upstreamoauth.agent.AgentPremain");
      assertThat(attributes.getValue("Agent-Class")).isEqualTo("io.upstreamoauth.agent.AgentPremain");
      assertThat(attributes.getValue("Can-Retransform-Classes")).isEqualTo("true");
      assertThat(attributes.getValue("Can-Redefine-Classes")).isEqualTo("true");
      // java -jar upstream-oauth-agent.jar help|version|check
      assertThat(attributes.getValue("Main-Class")).isEqualTo("io.upstreamoauth.agent.cli.Main");
    }
  }

  @Test
  void versionResource_isFilledIn() throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      java.util.Properties versions = new java.util.Properties();
      versions.load(file.getInputStream(file.getEntry("META-INF/upstream-oauth/version.properties")));
      assertThat(versions.getProperty("agent")).isEqualTo(file.getManifest().getMainAttributes().getValue("Implementation-Version"));
      assertThat(versions.getProperty("byte-buddy")).matches("\\d+\\.\\d+\\.\\d+.*");
    }
  }

  @Test
  void everyClass_isTheProjectsOwnOrRelocatedUnderShaded() throws IOException {
    List<String> leaked = new ArrayList<>();
    for (String name : entries()) {
      if (name.endsWith(".class") && !name.startsWith("io/upstreamoauth/agent/")) {
        leaked.add(name);
      }
    }
    assertThat(leaked).as("classes outside io/upstreamoauth/agent/").isEmpty();
    assertThat(entries()).anyMatch(name -> name.startsWith("io/upstreamoauth/agent/shaded/net/bytebuddy/"));
  }

  @Test
  void noMultiReleaseOrModuleDescriptors_theyWouldEscapeRelocation() throws IOException {
    assertThat(entries()).noneMatch(name -> name.startsWith("META-INF/versions/"));
    assertThat(entries()).noneMatch(name -> name.endsWith("module-info.class"));
    try (JarFile file = new JarFile(jar.toFile())) {
      assertThat(file.getManifest().getMainAttributes().getValue("Multi-Release")).isNull();
    }
  }

  @Test
  void serviceFiles_nameOnlyRelocatedTypes() throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      for (JarEntry entry : Collections.list(file.entries())) {
        if (entry.getName().startsWith("META-INF/services/") && !entry.isDirectory()) {
          String service = entry.getName().substring("META-INF/services/".length());
          assertThat(service).startsWith("io.upstreamoauth.agent.");
          String content = new String(file.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
          for (String line : content.split("\n")) {
            String provider = line.replaceAll("#.*", "").trim();
            if (!provider.isEmpty()) {
              assertThat(provider).startsWith("io.upstreamoauth.agent.");
            }
          }
        }
      }
    }
  }

  @Test
  void everyClass_isJava8Bytecode() throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      for (JarEntry entry : Collections.list(file.entries())) {
        if (entry.getName().endsWith(".class")) {
          try (InputStream in = file.getInputStream(entry)) {
            assertThat(majorVersion(in.readAllBytes())).as(entry.getName()).isLessThanOrEqualTo(JAVA_8);
          }
        }
      }
    }
  }

  @Test
  void compileOnlyStubs_areNotPackaged() throws IOException {
    assertThat(entries())
        .noneMatch(name -> name.startsWith("sun/") || name.startsWith("java/") || name.startsWith("jdk/"));
  }

  @Test
  void bootstrapJar_isNestedAndHoldsOnlyBootstrapClasses() throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      JarEntry nested = file.getJarEntry("META-INF/upstream-oauth/upstream-oauth-bootstrap.jar");
      assertThat(nested).isNotNull();
      byte[] bytes = file.getInputStream(nested).readAllBytes();
      List<String> classes = new ArrayList<>();
      try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(bytes))) {
        JarEntry entry;
        while ((entry = in.getNextJarEntry()) != null) {
          if (entry.getName().endsWith(".class")) {
            classes.add(entry.getName());
            assertThat(majorVersion(in.readAllBytes())).as(entry.getName()).isLessThanOrEqualTo(JAVA_8);
          }
        }
      }
      assertThat(classes).isNotEmpty().allMatch(name -> name.startsWith("io/upstreamoauth/bootstrap/"));
      assertThat(classes).contains("io/upstreamoauth/bootstrap/UpstreamOAuth.class");
    }
  }

  @Test
  void snakeYaml_isRelocated_andOnlyTheKongCommandRefersToIt() throws IOException {
    // from-kong's YAML parser: the agent never loads it, so nothing on its path may refer to it
    String yaml = "io/upstreamoauth/agent/shaded/org/yaml/snakeyaml/";
    assertThat(entries()).anyMatch(name -> name.startsWith(yaml));
    List<String> referrers = new ArrayList<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      for (JarEntry entry : Collections.list(file.entries())) {
        String name = entry.getName();
        if (name.endsWith(".class") && !name.startsWith(yaml)) {
          try (InputStream in = file.getInputStream(entry)) {
            if (utf8Constants(in.readAllBytes()).stream().anyMatch(constant -> constant.contains(yaml))) {
              referrers.add(name);
            }
          }
        }
      }
    }
    assertThat(referrers).isNotEmpty().allMatch(name -> name.startsWith("io/upstreamoauth/agent/cli/kong/"));
  }

  /** The UTF-8 entries of a class file's constant pool: every class name and descriptor it uses. */
  private static List<String> utf8Constants(byte[] classFile) throws IOException {
    List<String> constants = new ArrayList<>();
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
      in.readInt();
      in.readUnsignedShort();
      in.readUnsignedShort();
      int count = in.readUnsignedShort();
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1 -> constants.add(in.readUTF());
          case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
          case 5, 6 -> {
            in.skipBytes(8);
            i++; // long and double take two entries
          }
          case 7, 8, 16, 19, 20 -> in.skipBytes(2);
          case 15 -> in.skipBytes(3);
          default -> throw new IOException("constant pool tag " + tag);
        }
      }
    }
    return constants;
  }

  private static List<String> entries() throws IOException {
    List<String> names = new ArrayList<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      for (JarEntry entry : Collections.list(file.entries())) {
        names.add(entry.getName());
      }
    }
    return names;
  }

  private static int majorVersion(byte[] classFile) throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
      assertThat(in.readInt()).isEqualTo(0xCAFEBABE);
      in.readUnsignedShort();
      return in.readUnsignedShort();
    }
  }

}
