# GMime (with GLib) and libxml2 are opened when the first message, or the first HTML part,
# is read.  A process that cannot load them still starts; each message it cannot read
# becomes a vocmine.error record naming the library and its package, and everything else is
# analyzed as usual.  An empty file found first through LD_LIBRARY_PATH stands in for the
# library (its SONAME from ctest; Debian 12's when run by hand).
M=../../corpora/samples/mail
fake=$(mktemp -d)
trap 'rm -rf "$fake"' EXIT
analyze() { # records counted, error records shown (the stand-in's path shortened)
  LD_LIBRARY_PATH=$fake/lib "$VOCMINE" analyze "$@" 2> "$fake/errors" |
    grep -c '^{"schema":"vocmine.record/1"' | sed 's/$/ records/'
  echo "exit ${PIPESTATUS[0]}"
  sed "s|$fake/lib/[^:]*|<empty file>|" "$fake/errors"
}
mkdir "$fake/lib"
: > "$fake/lib/${VOCMINE_GMIME_SONAME:-libgmime-3.0.so.0}"
analyze ../../corpora/samples/messages.jsonl $M/gbk_subject.eml $M/four_messages.mbox
# without libxml2, only the HTML-only message fails; text/plain ones are read
rm "$fake"/lib/*
: > "$fake/lib/${VOCMINE_XML2_SONAME:-libxml2.so.2}"
analyze $M/html_only_utf8.eml $M/big5_alternative_qp.eml
