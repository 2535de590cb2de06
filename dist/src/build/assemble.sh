#!/bin/sh
# Builds certform-VERSION-linux-x86_64.tar.gz: certform with a Java runtime linked (jlink) from only the modules it
# uses, as jdeps finds them, plus the security providers it loads as services (jdeps cannot see those); the
# runtime's class-data-sharing archive (certform's own is made by the launcher where the tarball is unpacked); the
# launcher, man pages, bash and zsh completion, docs, schemas and examples.
# Usage: assemble.sh VERSION JDK ROOT TARGET   (JDK: a JDK 17 with jmods/; ROOT: the project; TARGET: dist/target)
set -eu
version=$1 jdk=$2 root=$3 target=$4
name=certform-$version
stage=$target/$name
jar=$root/engine/target/certform.jar
[ -f "$jar" ] || { echo "assemble: $jar is missing: build the engine first" >&2; exit 1; }
[ -d "$jdk/jmods" ] || { echo "assemble: $jdk/jmods is missing: give a JDK with jmods, -Ddist.jdk=PATH" >&2; exit 1; }

rm -rf "$stage" "$target/$name-linux-x86_64.tar.gz"
mkdir -p "$stage/bin" "$stage/lib" "$stage/share/man" "$stage/share/completion"
cp "$jar" "$stage/lib/certform.jar"

# jdk.crypto.ec: the EC provider (TLS key exchange, EC keys), loaded as a service, unseen by jdeps.
modules=$("$jdk/bin/jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps "$jar"),jdk.crypto.ec
"$jdk/bin/jlink" --module-path "$jdk/jmods" --add-modules "$modules" --strip-debug --no-header-files \
  --no-man-pages --compress=2 --generate-cds-archive --output "$stage/runtime"
echo "$modules" | tr ',' '\n' > "$stage/runtime/certform-modules.txt"

cp "$root/bin/certform" "$stage/bin/certform"
chmod 755 "$stage/bin/certform"
cp -R "$target/man" "$stage/share/man/man1"
"$stage/runtime/bin/java" -jar "$stage/lib/certform.jar" completion bash > "$stage/share/completion/certform.bash"
cat > "$stage/share/completion/certform.zsh" <<'ZSH'
# certform completion for zsh: the bash script, through zsh's bashcompinit. In ~/.zshrc:
#   source /opt/certform/share/completion/certform.zsh
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
source "${0:A:h}/certform.bash"
ZSH
cp "$root/README.md" "$stage/README.md"
cp -R "$root/docs" "$root/schemas" "$root/examples" "$stage/"
# what a run of an example left behind in the checkout is not part of it
find "$stage/examples" \( -name '.certform' -o -name '*.state.json*' -o -name '*.plan' \) -prune -exec rm -rf {} +

# No archive of certform's own classes is shipped: Java 17 maps one only for the jar path it was made with, which is
# where the user unpacks the tarball. The launcher makes it there on first use (bin/certform); the version names
# its cache folder.
echo "$version" > "$stage/lib/certform.version"

tar -C "$target" -czf "$target/$name-linux-x86_64.tar.gz" "$name"
echo "assemble: $target/$name-linux-x86_64.tar.gz ($(du -sh "$stage/runtime" | cut -f1) runtime: $modules)"
