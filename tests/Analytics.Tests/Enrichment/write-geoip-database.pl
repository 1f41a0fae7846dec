#!/usr/bin/env perl
# Writes a small MaxMind DB in the GeoIP2 City or Country layout for the GeoIP tests, with MaxMind's own writer
# (Debian: libmaxmind-db-writer-perl, installed by scripts/setup.sh): the real file format read by the real reader.
# Usage: write-geoip-database.pl OUTPUT.mmdb GeoIP2-City|GeoIP2-Country
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;

my ($output, $type) = @ARGV;
die "usage: $0 OUTPUT.mmdb GeoIP2-City|GeoIP2-Country\n" unless defined $output && defined $type && $type =~ /^GeoIP2-(City|Country)$/;
my $city = $type eq 'GeoIP2-City';

my %types = (
    country      => 'map',
    iso_code     => 'utf8_string',
    subdivisions => ['array', 'map'],
    city         => 'map',
    geoname_id   => 'uint32',
);
my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version            => 6,
    record_size           => 28,
    database_type         => $type,
    languages             => ['en'],
    description           => { en => 'Analytics Grid GeoIP test data' },
    map_key_type_callback => sub { $types{ $_[0] } },
);

# network, country, first-level subdivision, GeoNames id of the city (as GeoLite2 has them for these places)
my @places = (
    ['81.2.69.0/24',   'GB', 'ENG', 2643743],    # London
    ['89.160.20.0/24', 'SE', 'E',   2694762],    # Linköping
    ['2a02:8100::/32', 'DE', 'BE',  2950159],    # Berlin
    ['1.128.0.0/11',   'AU', undef, undef],      # a country alone
);
for my $place (@places) {
    my ($network, $country, $subdivision, $geoname) = @$place;
    my %record = (country => { iso_code => $country });
    if ($city) {
        $record{subdivisions} = [{ iso_code => $subdivision }] if defined $subdivision;
        $record{city} = { geoname_id => $geoname } if defined $geoname;
    }
    $tree->insert_network($network, \%record);
}

open my $fh, '>:raw', $output or die "cannot write $output: $!\n";
$tree->write_tree($fh);
close $fh or die "cannot close $output: $!\n";
