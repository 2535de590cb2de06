#!/bin/sh
# Makes target/certform.jsa, a class-data-sharing archive that bin/certform uses to start faster: one training
# run (apply of the quickstart on the embedded simulator, with its state and world under target/) records the
# classes it loads. Never fails the build: without the archive, certform starts as it did, only slower.
# Usage: class-data-archive.sh JAVA TARGET_DIR QUICKSTART_MANIFEST
java=$1 target=$2 manifest=$3
training="$target/cds-training"
rm -rf "$training" "$target/certform.jsa"
mkdir -p "$training"
if "$java" -XX:ArchiveClassesAtExit="$target/certform.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
    -jar "$target/certform.jar" apply --auto-approve --no-color -f "$manifest" \
    --state "$training/certform.state.json" >"$training/training.log" 2>&1 \
    && [ -s "$target/certform.jsa" ]; then
  :
else
  echo "certform: no class-data archive was made (see $training/training.log); certform will start more slowly." >&2
  rm -f "$target/certform.jsa"
fi
exit 0
