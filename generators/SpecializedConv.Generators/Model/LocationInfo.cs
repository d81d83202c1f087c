using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace SpecializedConv.Generators.Model;

/// <summary>
/// Where a diagnostic goes, as plain data: a <see cref="Location"/> holds its syntax tree and would pin the whole
/// compilation in the incremental cache.
/// </summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location) =>
        location?.SourceTree is null ? null : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
}
