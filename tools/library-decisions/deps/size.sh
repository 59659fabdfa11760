#!/bin/bash
# Jar size of a candidate and its transitive runtime dependencies, and what it adds to core's runtime classpath.
# ./size.sh NAME group:artifact:version [group:artifact:version ...]
# core-deps.txt: core's runtime dependencies, from: (cd ../../.. && mvn -B -ntp -q -pl core dependency:list -DincludeScope=runtime -DoutputFile=$PWD/core-deps.txt)
cd "$(dirname "$0")"; name=$1; shift
mkdir -p $name; deps=""
for c in "$@"; do IFS=: read g a v <<<"$c"; deps="$deps<dependency><groupId>$g</groupId><artifactId>$a</artifactId><version>$v</version></dependency>"; done
cat > $name/pom.xml <<P
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion><groupId>com.systemtrader.measurements</groupId><artifactId>size-$name</artifactId><version>1</version>
<dependencyManagement><dependencies><dependency><groupId>com.fasterxml.jackson</groupId><artifactId>jackson-bom</artifactId><version>2.21.8</version><type>pom</type><scope>import</scope></dependency></dependencies></dependencyManagement>
<dependencies>$deps</dependencies></project>
P
rm -rf $name/jars
(cd $name && mvn -B -ntp -q dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=jars 2>&1 | grep ERROR)
(cd $name && mvn -B -ntp -q dependency:list -DincludeScope=runtime -DoutputFile=list.txt 2>&1 | grep ERROR)
total=0; added=0
while read -r line; do
  ga=$(echo "$line" | awk -F: '{print $1":"$2}'); ver=$(echo "$line" | awk -F: '{print $4}')
  f=$(ls $name/jars/$(echo $ga | cut -d: -f2)-$ver*.jar 2>/dev/null | head -1); [ -z "$f" ] && continue
  sz=$(stat -c %s "$f"); total=$((total+sz))
  if grep -q " $ga:" core-deps.txt; then tag="(already in core)"; else tag="ADDED"; added=$((added+sz)); fi
  printf "  %-70s %8.3f MB %s\n" "$ga:$ver" $(echo "$sz/1048576" | bc -l) "$tag"
done < <(grep -E "^\s+[a-z].*:.*:" $name/list.txt | sed 's/^ *//; s/ --.*//')
printf "%s: total %.2f MB, added to core %.2f MB\n" $name $(echo "$total/1048576" | bc -l) $(echo "$added/1048576" | bc -l)
